package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.generate.Generator;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden test against the fixture checkpoints, whose logits, log-probs and greedy continuations come
 * from an independent float32 re-implementation of the transformers decoders (fixtures README).
 * Contract: logits within 1e-4 absolute, token log-probs within 1e-4, greedy tokens identical.
 */
class DecoderModelGoldenTest {
    private static final double TOL = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny", "gemma-tiny"})
    void logitsMatchReference(String name) throws Exception {
        Path dir = Fixtures.path("models/" + name);
        JsonNode expected = Fixtures.json("models/" + name + "/expected.json");
        float[] golden;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("logits.safetensors"))) {
            golden = f.readFloatArray("logits"); // (2, 12, V)
        }
        try (DecoderModel model = DecoderModel.load(dir); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            JsonNode rows = expected.get("input_ids");
            int b = rows.size();
            int t = rows.get(0).size();
            long[] ids = new long[b * t];
            long[] pos = new long[b * t];
            for (int r = 0; r < b; r++) {
                long[] row = Fixtures.longs(rows.get(r));
                System.arraycopy(row, 0, ids, r * t, t);
                for (int c = 0; c < t; c++) {
                    pos[r * t + c] = c;
                }
            }
            NDManager m = model.manager();
            int[] first = new int[b];
            int[] end = new int[b];
            Arrays.fill(end, t);
            NDArray mask = AttentionMask.causal(m, t, t, first, end, 0);
            NDArray logits = model.logits(model.forward(m.create(ids, new Shape(b, t)), pos, mask, null));
            assertEquals(new Shape(b, t, model.config().vocabSize()), logits.getShape());
            float[] actual = logits.toFloatArray();
            assertEquals(golden.length, actual.length);
            double maxDiff = 0;
            for (int i = 0; i < actual.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - golden[i]));
            }
            assertTrue(maxDiff <= TOL, name + ": max |logit - golden| = " + maxDiff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny", "gemma-tiny"})
    void tokenLogprobsMatchReference(String name) {
        Path dir = Fixtures.path("models/" + name);
        JsonNode expected = Fixtures.json("models/" + name + "/expected.json");
        try (DecoderModel model = DecoderModel.load(dir)) {
            // token_logprobs[b][t] = log p(ids[b][t+1] | ids[b][:t+1]): prompt = first token.
            List<ScoringRequest> requests = new ArrayList<>();
            for (JsonNode row : expected.get("input_ids")) {
                long[] ids = Fixtures.longs(row);
                requests.add(new ScoringRequest(Arrays.copyOf(ids, 1), Arrays.copyOfRange(ids, 1, ids.length)));
            }
            List<CompletionScore> scores = new LogProbScorer(model).score(requests, 2);
            for (int r = 0; r < scores.size(); r++) {
                JsonNode want = expected.get("token_logprobs").get(r);
                float[] got = scores.get(r).tokenLogprobs();
                assertEquals(want.size(), got.length);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(want.get(i).asDouble(), got[i], TOL, name + " row " + r + " token " + i);
                }
                assertEquals(expected.get("sum_logprob").get(r).asDouble(), scores.get(r).logprob(), 1e-3);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny", "gemma-tiny"})
    void greedyContinuationMatchesReference(String name) {
        Path dir = Fixtures.path("models/" + name);
        JsonNode expected = Fixtures.json("models/" + name + "/expected.json");
        long[] prompt = Fixtures.longs(expected.get("greedy_prompt"));
        long[] full = Fixtures.longs(expected.get("greedy_output"));
        int n = expected.get("greedy_new_tokens").asInt();
        try (DecoderModel model = DecoderModel.load(dir)) {
            // The reference decodes a fixed number of tokens, so EOS does not stop it here.
            GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(n).stopOnEos(false).build();
            long[] got = new Generator(model, new long[0], null).generate(List.of(prompt), cfg).get(0).tokens();
            assertArrayEquals(Arrays.copyOfRange(full, prompt.length, full.length), got);
        }
    }
}
