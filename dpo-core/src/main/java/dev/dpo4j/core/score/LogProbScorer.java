package dev.dpo4j.core.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.AttentionMask;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.TokenIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scores completions: {@code log p(c_i | prompt, c_<i)} for every completion token, summed per row.
 *
 * <p>Rows are grouped by length into batches, right-padded (padding sits after every real token, so
 * the causal mask already hides it), and only the completion positions go through the LM head and the
 * log-softmax: {@link TokenLogps}, the same bounded head training's log-probs use, in inference mode. Letters: B rows, T padded length, H hidden,
 * C completion tokens of a batch, V vocab.
 */
public final class LogProbScorer {
    private final DecoderModel model;
    private final TokenLogps head;

    /**
     * Creates a scorer.
     *
     * @param model the decoder
     */
    public LogProbScorer(DecoderModel model) {
        this.model = model;
        this.head = new TokenLogps(model);
    }

    /**
     * Scores rows in batches.
     *
     * @param rows prompts and completions
     * @param batchSize most rows per forward pass
     * @return one score per row, in input order
     */
    public List<CompletionScore> score(List<ScoringRequest> rows, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int vocab = model.config().vocabSize();
        for (int i = 0; i < rows.size(); i++) {
            ScoringRequest r = rows.get(i);
            if (r.promptIds().length == 0) {
                throw new IllegalArgumentException("row " + i + ": prompt_ids is empty; the first completion token"
                        + " needs a context (start the prompt with BOS)");
            }
            TokenIds.check(r.promptIds(), vocab, "row " + i + " prompt_ids");
            TokenIds.check(r.completionIds(), vocab, "row " + i + " completion_ids");
        }
        // Longest first, so each batch holds rows of similar length.
        Integer[] order = IntStream.range(0, rows.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> length(rows.get(i))).reversed());
        CompletionScore[] out = new CompletionScore[rows.size()];
        for (int start = 0; start < order.length; start += batchSize) {
            List<Integer> idx = Arrays.asList(order).subList(start, Math.min(order.length, start + batchSize));
            List<ScoringRequest> batch = idx.stream().map(rows::get).toList();
            List<CompletionScore> scores = scoreBatch(batch);
            for (int j = 0; j < idx.size(); j++) {
                out[idx.get(j)] = scores.get(j);
            }
        }
        return Arrays.asList(out);
    }

    private static int length(ScoringRequest r) {
        return r.promptIds().length + r.completionIds().length;
    }

    private List<CompletionScore> scoreBatch(List<ScoringRequest> batch) {
        int b = batch.size();
        int width = batch.stream().mapToInt(LogProbScorer::length).max().orElse(0);
        long[] ids = new long[b * width];
        long[] positions = new long[b * width];
        int[] first = new int[b];
        int[] end = new int[b];
        List<Long> targets = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            ScoringRequest req = batch.get(r);
            System.arraycopy(req.promptIds(), 0, ids, r * width, req.promptIds().length);
            System.arraycopy(req.completionIds(), 0, ids, r * width + req.promptIds().length,
                    req.completionIds().length);
            for (int c = 0; c < width; c++) {
                positions[r * width + c] = c;
            }
            end[r] = length(req);
            for (long t : req.completionIds()) {
                targets.add(t);
            }
        }
        float[] logprobs;
        NDManager manager = model.manager();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray input = manager.create(ids, new Shape(b, width));
            NDArray hidden = model.forward(input, positions,
                    window -> AttentionMask.causal(manager, width, width, first, end, window), null); // (B, T, H)
            // The state before each completion token: columns [P − 1, P + C − 1) of each row.
            NDList pieces = new NDList();
            for (int r = 0; r < b; r++) {
                ScoringRequest req = batch.get(r);
                if (req.completionIds().length > 0) {
                    int p = req.promptIds().length;
                    pieces.add(hidden.get(new NDIndex("{}, {}:{}, :", r, p - 1, p - 1 + req.completionIds().length)));
                }
            }
            if (pieces.isEmpty()) {
                logprobs = new float[0];
            } else {
                NDArray states = pieces.size() == 1 ? pieces.head() : NDArrays.concat(pieces, 0); // (C, H)
                long[] targetIds = targets.stream().mapToLong(Long::longValue).toArray();
                NDArray target = manager.create(targetIds, new Shape(targetIds.length, 1)); // (C, 1)
                try (NDArray tokenLogps = head.logps(states, target)) { // (C, 1), in the model's manager
                    logprobs = tokenLogps.toFloatArray();
                }
                target.close();
            }
        }
        List<CompletionScore> scores = new ArrayList<>();
        int offset = 0;
        for (ScoringRequest req : batch) {
            int n = req.completionIds().length;
            float[] tokens = Arrays.copyOfRange(logprobs, offset, offset + n);
            offset += n;
            double sum = 0;
            for (float v : tokens) {
                sum += v;
            }
            scores.add(new CompletionScore(sum, tokens));
        }
        return scores;
    }
}
