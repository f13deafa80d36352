package dev.dpo4j.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.AttentionMask;
import dev.dpo4j.core.model.DecoderModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Batched, padded scoring equals scoring each row alone. */
class LogProbScorerTest {

    @Test
    void batchedScoringWithPaddingEqualsScoringEachRowAlone() {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/qwen2-tiny"))) {
            Random rnd = new Random(11);
            List<ScoringRequest> rows = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                rows.add(new ScoringRequest(randomIds(rnd, 1 + rnd.nextInt(9)), randomIds(rnd, rnd.nextInt(8))));
            }
            LogProbScorer scorer = new LogProbScorer(model);
            List<CompletionScore> batched = scorer.score(rows, 4);
            for (int i = 0; i < rows.size(); i++) {
                CompletionScore alone = scorer.score(List.of(rows.get(i)), 1).get(0);
                CompletionScore b = batched.get(i);
                assertEquals(rows.get(i).completionIds().length, b.tokenLogprobs().length);
                for (int t = 0; t < alone.tokenLogprobs().length; t++) {
                    assertEquals(alone.tokenLogprobs()[t], b.tokenLogprobs()[t], 1e-5, "row " + i + " token " + t);
                }
                assertEquals(alone.logprob(), b.logprob(), 1e-4);
            }
        }
    }

    @Test
    void longCompletionsScoredInChunksMatchTheFullLogSoftmax() {
        // 700 completion tokens cross the scorer's 512-row LM-head chunks; the reference is
        // log_softmax(logits)[t, ids[t+1]] from one full forward, computed here without the scorer.
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/llama-tiny"));
             NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Random rnd = new Random(5);
            long[] ids = randomIds(rnd, 701);
            for (int i = 0; i < ids.length; i++) {
                ids[i] %= 256;
            }
            long[] pos = new long[ids.length];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = i;
            }
            NDManager m = model.manager();
            NDArray mask = AttentionMask.causal(m, ids.length, ids.length,
                    new int[] {0}, new int[] {ids.length}, 0);
            float[] full = model.logits(model.forward(m.create(ids, new Shape(1, ids.length)),
                    pos, mask, null)).logSoftmax(-1).toFloatArray(); // (701 · 256)
            float[] got = new LogProbScorer(model).score(List.of(new ScoringRequest(
                    Arrays.copyOf(ids, 1), Arrays.copyOfRange(ids, 1, ids.length))), 1)
                    .get(0).tokenLogprobs();
            assertEquals(700, got.length);
            for (int t = 0; t < got.length; t++) {
                assertEquals(full[t * 256 + (int) ids[t + 1]], got[t], 1e-5, "token " + t);
            }
        }
    }

    @Test
    void logprobIsTheSumOfTokenLogprobsAndEmptyCompletionScoresZero() {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/llama-tiny"))) {
            List<CompletionScore> s = new LogProbScorer(model).score(List.of(
                    new ScoringRequest(new long[] {1, 2, 3}, new long[] {4, 5}),
                    new ScoringRequest(new long[] {1}, new long[0])), 2);
            assertEquals(s.get(0).tokenLogprobs()[0] + (double) s.get(0).tokenLogprobs()[1], s.get(0).logprob(), 1e-6);
            assertEquals(0.0, s.get(1).logprob());
            assertEquals(0, s.get(1).tokenLogprobs().length);
        }
    }

    @Test
    void rejectsEmptyPromptAndOutOfVocabularyIds() {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/llama-tiny"))) {
            LogProbScorer scorer = new LogProbScorer(model);
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> scorer.score(List.of(new ScoringRequest(new long[0], new long[] {3})), 1));
            assertEquals(true, empty.getMessage().contains("row 0"));
            IllegalArgumentException oov = assertThrows(IllegalArgumentException.class,
                    () -> scorer.score(List.of(new ScoringRequest(new long[] {1}, new long[] {-1})), 1));
            assertEquals(true, oov.getMessage().contains("completion_ids"), oov.getMessage());
        }
    }

    private static long[] randomIds(Random rnd, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(300);
        }
        return ids;
    }
}
