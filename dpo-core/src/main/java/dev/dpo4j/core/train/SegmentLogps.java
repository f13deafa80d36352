package dev.dpo4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LayerContext;

/**
 * Runs a {@link PackedBatch} through the model and sums completion-token log-probs per segment.
 *
 * <p>Letters as in {@link PackedBatch}; H hidden, V vocab, L layers, C rows of one LM-head chunk. The
 * log-prob of a completion is {@code Σ log softmax(logits(h_pred))[token]} over its tokens, where
 * {@code h_pred} is the hidden state of the token before it in its own sequence.
 *
 * <p>Three modes. {@link Mode#INFERENCE} records no graph (reference log-probs, evaluation).
 * {@link Mode#TRAIN} records the whole graph. {@link Mode#TRAIN_CHECKPOINTED} is layer-wise
 * activation checkpointing: the forward keeps only each layer's input (R·T·H per layer) and
 * {@link Pass#backward} recomputes one layer at a time from it, back-propagating the upstream gradient
 * with {@link Autograd#backward(NDArray, NDArray)} — the memory of one layer's activations instead of
 * L layers', for one extra forward.
 *
 * <p>A bounded LM head, in every mode: the N predicting states go through the head, the float32
 * log-softmax and the gather {@link #headChunkRows()} rows at a time, so the (N, V) logits are never
 * held whole (Qwen's 152k vocabulary makes them gigabytes). In training the head records no graph on
 * the forward: the token log-probs become a leaf, and backward recomputes each chunk's logits from its
 * states to turn d loss / d token log-prob into d loss / d state — the same gradients as the unchunked
 * head (the tests compare them), holding one chunk's logits at a time.
 */
public final class SegmentLogps {
    /** Logit values per head chunk by default: 2^25 (128 MiB as float32), i.e. C = 2^25 / V rows. */
    public static final long HEAD_CHUNK_LOGITS = 1L << 25;

    /** How much autograd state the pass keeps. */
    public enum Mode {
        /** No graph. */
        INFERENCE,
        /** Full graph. */
        TRAIN,
        /** Layer inputs only; layers recomputed in backward. */
        TRAIN_CHECKPOINTED
    }

    private final DecoderModel model;
    private final int headChunkRows;

    /**
     * Creates the runner with the default head chunk ({@value #HEAD_CHUNK_LOGITS} logits).
     *
     * @param model the (possibly adapted) model
     */
    public SegmentLogps(DecoderModel model) {
        this(model, (int) Math.max(1, HEAD_CHUNK_LOGITS / model.config().vocabSize()));
    }

    /**
     * Creates the runner with a given head chunk.
     *
     * @param model the (possibly adapted) model
     * @param headChunkRows C, predicting states per LM-head chunk (≥ 1)
     */
    public SegmentLogps(DecoderModel model, int headChunkRows) {
        if (headChunkRows < 1) {
            throw new IllegalArgumentException("head chunk rows must be >= 1, got " + headChunkRows);
        }
        this.model = model;
        this.headChunkRows = headChunkRows;
    }

    /** C, the predicting states per LM-head chunk. */
    public int headChunkRows() {
        return headChunkRows;
    }

    /**
     * Runs the forward pass.
     *
     * @param batch the layout
     * @param manager owns every array of the pass; close it after {@link Pass#backward}
     * @param mode graph policy
     * @param dropoutSeed seeds the engine RNG before each layer (identically in recomputation), so LoRA
     *     dropout masks are reproducible and checkpointing gives the plain pass's gradients; negative
     *     for no reseeding
     * @return the pass, holding the per-segment log-probs
     */
    public Pass run(PackedBatch batch, NDManager manager, Mode mode, long dropoutSeed) {
        return new Pass(batch, manager, mode, dropoutSeed);
    }

    /** One forward pass and, in training modes, its backward. */
    public final class Pass {
        private final PackedBatch batch;
        private final NDManager manager;
        private final Mode mode;
        private final long dropoutSeed;
        private final NDArray logps; // (S)
        private final double[] logitMeans; // per segment, Σ over tokens of mean-over-vocab logit
        private LayerContext context; // every layer's rotary tables and mask
        private NDArray[] layerInputs; // checkpointed mode: input of each layer, no graph
        private NDArray lastHidden; // checkpointed mode: leaf requiring a gradient
        private NDArray states; // training: (N, H) predicting states, in the graph
        private NDArray stateLeaf; // training: (N, H) the same values, detached
        private NDArray tokenLeaf; // training: (N, 1) token log-probs, a leaf
        private NDArray targets; // (N, 1) int64

        private Pass(PackedBatch batch, NDManager manager, Mode mode, long dropoutSeed) {
            this.batch = batch;
            this.manager = manager;
            this.mode = mode;
            this.dropoutSeed = dropoutSeed;
            int rows = batch.rows();
            int width = batch.width();
            NDArray ids = batch.inputIds(manager);
            context = model.context(manager, batch.positions(), rows, width, window -> batch.mask(manager, window));
            NDArray hidden;
            if (mode == Mode.TRAIN_CHECKPOINTED) {
                layerInputs = new NDArray[model.config().numLayers()];
                NDArray x;
                try (Autograd.Scope off = Autograd.recording(false)) {
                    x = model.embed(ids);
                    for (int i = 0; i < layerInputs.length; i++) {
                        layerInputs[i] = x;
                        x = layer(i, x);
                    }
                }
                lastHidden = x;
                lastHidden.setRequiresGradient(true);
                try (Autograd.Scope on = Autograd.recording(true)) {
                    hidden = model.finalNorm(lastHidden);
                }
            } else {
                try (Autograd.Scope rec = Autograd.recording(mode == Mode.TRAIN)) {
                    NDArray x = model.embed(ids);
                    for (int i = 0; i < model.config().numLayers(); i++) {
                        x = layer(i, x);
                    }
                    hidden = model.finalNorm(x);
                }
            }
            int n = batch.completionTokens();
            targets = manager.create(batch.targets(), new Shape(n, 1));
            // Arrays made from Java data share memory with a Java buffer that closing frees; the graph
            // keeps the index for backward, so it lives in the pass's manager.
            NDArray index = manager.create(batch.predictors());
            try (Autograd.Scope rec = Autograd.recording(mode != Mode.INFERENCE)) {
                states = hidden.reshape(-1, hidden.getShape().get(2)).get(new NDIndex("{}", index)); // (N, H)
            }
            NDArray[] head;
            try (Autograd.Scope off = Autograd.recording(false)) {
                head = head(mode == Mode.INFERENCE ? states : (stateLeaf = states.stopGradient()));
            }
            NDArray tokenLogps = head[0]; // (N, 1), no graph
            // A copy in engine memory (64-byte aligned): MKL's matMul may round differently on a Java
            // buffer's varying alignment, and bit-exact resume depends on it.
            NDArray oneHot = manager.create(segmentMatrix(batch.segmentOf(), batch.segments(), n),
                    new Shape(batch.segments(), n)).duplicate(); // (S, N)
            if (mode != Mode.INFERENCE) {
                tokenLeaf = tokenLogps;
                tokenLeaf.setRequiresGradient(true);
            }
            try (Autograd.Scope rec = Autograd.recording(mode != Mode.INFERENCE)) {
                logps = oneHot.matMul(tokenLogps).reshape(batch.segments()); // (S)
            }
            try (Autograd.Scope off = Autograd.recording(false)) {
                logitMeans = oneHot.matMul(head[1]).reshape(batch.segments())
                        .toType(DataType.FLOAT64, false).toDoubleArray();
            }
        }

        /** One layer; intermediates are closed, the graph (when recording) keeps what backward needs. */
        private NDArray layer(int index, NDArray x) {
            if (dropoutSeed >= 0) {
                Engine.getInstance().setRandomSeed((int) ((dropoutSeed * 1_000_003L + index) & 0x7fffffff));
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray y = model.layerForward(index, x, context);
                NDScope.unregister(y);
                return y;
            }
        }

        /**
         * The LM head chunk by chunk over (N, H) states, recording nothing: (N, 1) token log-probs and
         * (N, 1) mean logits, float32.
         */
        private NDArray[] head(NDArray predicting) {
            int n = batch.completionTokens();
            NDList logps = new NDList();
            NDList means = new NDList();
            for (int from = 0; from < n; from += headChunkRows) {
                int to = Math.min(n, from + headChunkRows);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray logits = model.logits(predicting.get(new NDIndex("{}:{}", from, to))); // (C, V) float32
                    NDArray tokenLogps = tokenLogps(logits, from, to); // (C, 1)
                    NDArray mean = logits.mean(new int[] {1}).reshape(to - from, 1); // (C, 1)
                    NDScope.unregister(tokenLogps, mean);
                    logps.add(tokenLogps);
                    means.add(mean);
                }
            }
            NDArray all = logps.size() == 1 ? logps.head() : NDArrays.concat(logps, 0); // (N, 1)
            NDArray allMeans = means.size() == 1 ? means.head() : NDArrays.concat(means, 0);
            return new NDArray[] {all, allMeans};
        }

        /** log softmax(logits)[target] of predicting states [from, to): (C, V) float32 → (C, 1). */
        private NDArray tokenLogps(NDArray logits, int from, int to) {
            return logits.logSoftmax(-1).gather(targets.get(new NDIndex("{}:{}", from, to)), 1);
        }

        /** Per-segment log-prob sums, (S) float32; differentiable in training modes. */
        public NDArray logps() {
            return logps;
        }

        /** Per segment, the sum over its tokens of the mean logit over the vocabulary (TRL's logits metrics). */
        public double[] logitMeanSums() {
            return logitMeans.clone();
        }

        /**
         * Back-propagates a loss computed from {@link #logps()} into the LoRA parameters' gradients
         * (accumulating, so gradient accumulation is just several passes): into the token log-probs,
         * through the head chunk by chunk (recomputed), into the layers (recomputed one at a time when
         * checkpointed).
         *
         * @param loss a scalar depending on {@link #logps()}
         */
        public void backward(NDArray loss) {
            if (mode == Mode.INFERENCE) {
                throw new IllegalStateException("an inference pass has no graph to back-propagate");
            }
            Autograd.backward(loss); // d loss / d token log-probs, into tokenLeaf
            NDArray stateGrads = headBackward(tokenLeaf.getGradient()); // (N, H)
            Autograd.backward(states, stateGrads); // through the gather and the final norm (and the layers)
            stateGrads.close();
            if (mode != Mode.TRAIN_CHECKPOINTED) {
                return;
            }
            NDArray upstream = lastHidden.getGradient(); // d loss / d output of the last layer
            for (int i = layerInputs.length - 1; i >= 0; i--) {
                NDArray input = layerInputs[i];
                input.setRequiresGradient(true);
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    try (Autograd.Scope on = Autograd.recording(true)) {
                        NDArray out = layer(i, input);
                        Autograd.backward(out, upstream);
                    }
                    next = i > 0 ? input.getGradient() : null;
                    if (next != null) {
                        NDScope.unregister(next);
                    }
                }
                upstream.close();
                upstream = next;
                input.close();
            }
        }

        /** d loss / d states from d loss / d token log-probs (N, 1), recomputing the head per chunk. */
        private NDArray headBackward(NDArray tokenGrads) {
            int n = batch.completionTokens();
            NDList grads = new NDList();
            for (int from = 0; from < n; from += headChunkRows) {
                int to = Math.min(n, from + headChunkRows);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray chunk = stateLeaf.get(new NDIndex("{}:{}", from, to)).stopGradient(); // (C, H) leaf
                    chunk.setRequiresGradient(true);
                    try (Autograd.Scope on = Autograd.recording(true)) {
                        Autograd.backward(tokenLogps(model.logits(chunk), from, to),
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
    }

    private static float[] segmentMatrix(int[] segmentOf, int segments, int n) {
        float[] m = new float[segments * n]; // (S, N): row s has ones at its tokens
        for (int j = 0; j < n; j++) {
            m[segmentOf[j] * n + j] = 1f;
        }
        return m;
    }
}
