package dev.dpo4j.core.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.model.DecoderModel;

/**
 * The one place completion-token log-probs are computed from hidden states: the LM head, the float32
 * log-softmax and the gather, {@code log softmax(logits(h))[token]}, a bounded chunk of states at a time so
 * the (N, V) logits are never held whole (Qwen's 152k vocabulary makes them gigabytes). Inference
 * ({@link LogProbScorer}, reference log-probs) and training ({@code SegmentLogps}) both go through it;
 * in training, {@link #backward} recomputes each chunk's logits to turn d loss / d token log-prob into
 * d loss / d state, the gradients of the unchunked head holding one chunk's logits at a time.
 *
 * <p>Letters: N predicting states, H hidden, V vocab, C states per chunk.
 */
public final class TokenLogps {
    /** Logit values per head chunk by default: 2^25 (128 MiB as float32), i.e. C = 2^25 / V states. */
    public static final long HEAD_CHUNK_LOGITS = 1L << 25;

    private final DecoderModel model;
    private final int chunkRows;

    /**
     * The head of a model with the default chunk ({@value #HEAD_CHUNK_LOGITS} logits).
     *
     * @param model the decoder whose {@link DecoderModel#logits} is the head
     */
    public TokenLogps(DecoderModel model) {
        this(model, (int) Math.max(1, HEAD_CHUNK_LOGITS / model.config().vocabSize()));
    }

    /**
     * The head of a model with a given chunk.
     *
     * @param model the decoder
     * @param chunkRows C, predicting states per chunk (≥ 1)
     */
    public TokenLogps(DecoderModel model, int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("head chunk rows must be >= 1, got " + chunkRows);
        }
        this.model = model;
        this.chunkRows = chunkRows;
    }

    /** @return C, the predicting states per chunk */
    public int chunkRows() {
        return chunkRows;
    }

    /**
     * Token log-probs and mean logits, recording no graph.
     *
     * @param states (N, H) the hidden state predicting each token
     * @param targets (N, 1) int64 the tokens
     * @return (N, 1) float32 log-probs and (N, 1) float32 means over the vocabulary of the logits, in the
     *     states' manager; the caller closes them (or their manager)
     */
    public Result forward(NDArray states, NDArray targets) {
        return forward(states, targets, true);
    }

    /**
     * Token log-probs only, recording no graph (inference: the mean logits are not computed).
     *
     * @param states (N, H) the hidden state predicting each token
     * @param targets (N, 1) int64 the tokens
     * @return (N, 1) float32 log-probs, in the states' manager; the caller closes it
     */
    public NDArray logps(NDArray states, NDArray targets) {
        return forward(states, targets, false).logps();
    }

    private Result forward(NDArray states, NDArray targets, boolean withMeans) {
        int n = Math.toIntExact(states.getShape().get(0));
        NDList logps = new NDList();
        NDList means = new NDList();
        try (Autograd.Scope off = Autograd.recording(false)) {
            for (int from = 0; from < n; from += chunkRows) {
                int to = Math.min(n, from + chunkRows);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray logits = model.logits(states.get(new NDIndex("{}:{}", from, to))); // (C, V) float32
                    NDArray tokenLogps = gather(logits, targets, from, to); // (C, 1)
                    NDScope.unregister(tokenLogps);
                    logps.add(tokenLogps);
                    if (withMeans) {
                        NDArray mean = logits.mean(new int[] {1}).reshape(to - from, 1); // (C, 1)
                        NDScope.unregister(mean);
                        means.add(mean);
                    }
                }
            }
        }
        return new Result(concat(logps, n), withMeans ? concat(means, n) : null);
    }

    /**
     * d loss / d states from d loss / d token log-probs, recomputing the head chunk by chunk.
     *
     * @param states (N, H) the states {@link #forward} saw (their values; any graph is ignored)
     * @param targets (N, 1) the tokens
     * @param tokenGrads (N, 1) d loss / d token log-prob; closed here
     * @return (N, H) d loss / d state
     */
    public NDArray backward(NDArray states, NDArray targets, NDArray tokenGrads) {
        int n = Math.toIntExact(states.getShape().get(0));
        NDList grads = new NDList();
        for (int from = 0; from < n; from += chunkRows) {
            int to = Math.min(n, from + chunkRows);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray chunk = states.get(new NDIndex("{}:{}", from, to)).stopGradient(); // (C, H) leaf
                chunk.setRequiresGradient(true);
                try (Autograd.Scope on = Autograd.recording(true)) {
                    Autograd.backward(gather(model.logits(chunk), targets, from, to),
                            tokenGrads.get(new NDIndex("{}:{}", from, to)));
                }
                NDArray g = chunk.getGradient(); // (C, H)
                NDScope.unregister(g);
                grads.add(g);
            }
        }
        NDArray all = grads.size() == 1 ? grads.head() : NDArrays.concat(grads, 0); // (N, H)
        if (grads.size() > 1) {
            grads.close();
        }
        tokenGrads.close();
        return all;
    }

    /** log softmax(logits)[target] of states [from, to): (C, V) float32 → (C, 1). */
    private static NDArray gather(NDArray logits, NDArray targets, int from, int to) {
        return logits.logSoftmax(-1).gather(targets.get(new NDIndex("{}:{}", from, to)), 1);
    }

    /** The chunks joined; the chunks themselves are closed once copied, so nothing is left behind. */
    private static NDArray concat(NDList parts, int n) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no predicting states (N = " + n + ")");
        }
        if (parts.size() == 1) {
            return parts.head();
        }
        NDArray joined = NDArrays.concat(parts, 0);
        parts.close();
        return joined;
    }

    /**
     * What the head gave for N states.
     *
     * @param logps (N, 1) float32 token log-probs
     * @param logitMeans (N, 1) float32 mean logit over the vocabulary of each state
     */
    public record Result(NDArray logps, NDArray logitMeans) {
    }
}
