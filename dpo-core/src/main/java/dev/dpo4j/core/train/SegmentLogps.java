package dev.dpo4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.DecoderModel;

/**
 * Runs a {@link PackedBatch} through the model and sums completion-token log-probs per segment.
 *
 * <p>Letters as in {@link PackedBatch}; H hidden, V vocab, L layers. The log-prob of a completion is
 * {@code Σ log softmax(logits(h_pred))[token]} over its tokens, where {@code h_pred} is the hidden state
 * of the token before it in its own sequence.
 *
 * <p>Three modes. {@link Mode#INFERENCE} records no graph (reference log-probs, evaluation).
 * {@link Mode#TRAIN} records the whole graph. {@link Mode#TRAIN_CHECKPOINTED} is layer-wise
 * activation checkpointing: the forward keeps only each layer's input (R·T·H per layer) and
 * {@link Pass#backward} recomputes one layer at a time from it, back-propagating the upstream gradient
 * with {@link Autograd#backward(NDArray, NDArray)} — the memory of one layer's activations instead of
 * L layers', for one extra forward.
 */
public final class SegmentLogps {
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

    /**
     * Creates the runner.
     *
     * @param model the (possibly adapted) model
     */
    public SegmentLogps(DecoderModel model) {
        this.model = model;
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
        private NDArray cos;
        private NDArray sin;
        private NDArray mask;
        private NDArray[] layerInputs; // checkpointed mode: input of each layer, no graph
        private NDArray lastHidden; // checkpointed mode: leaf requiring a gradient

        private Pass(PackedBatch batch, NDManager manager, Mode mode, long dropoutSeed) {
            this.batch = batch;
            this.manager = manager;
            this.mode = mode;
            this.dropoutSeed = dropoutSeed;
            int rows = batch.rows();
            int width = batch.width();
            NDArray ids = batch.inputIds(manager);
            NDList cs = model.rope().tables(manager, batch.positions(), rows, width);
            cos = cs.get(0);
            sin = cs.get(1);
            mask = batch.mask(manager, model.config().slidingWindow());
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
            try (Autograd.Scope rec = Autograd.recording(mode != Mode.INFERENCE)) {
                NDArray[] head = head(hidden);
                logps = head[0];
                logitMeans = head[1].toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            }
        }

        /** One layer; intermediates are closed, the graph (when recording) keeps what backward needs. */
        private NDArray layer(int index, NDArray x) {
            if (dropoutSeed >= 0) {
                Engine.getInstance().setRandomSeed((int) ((dropoutSeed * 1_000_003L + index) & 0x7fffffff));
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray y = model.layerForward(index, x, cos, sin, mask);
                NDScope.unregister(y);
                return y;
            }
        }

        /** LM head over the predicting states only: (S) log-prob sums and (S) logit-mean sums. */
        private NDArray[] head(NDArray hidden) {
            int n = batch.completionTokens();
            int s = batch.segments();
            long h = hidden.getShape().get(2);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray flat = hidden.reshape(-1, h); // (R·T, H)
                NDArray index = manager.create(batch.predictors());
                NDArray states = flat.get(new NDIndex("{}", index)); // (N, H)
                NDArray logits = model.logits(states); // (N, V)
                NDArray target = manager.create(batch.targets(), new Shape(n, 1));
                NDArray tokenLogps = logits.logSoftmax(-1).gather(target, 1); // (N, 1)
                // A copy in engine memory (64-byte aligned): MKL's matMul may round differently on a
                // Java buffer's varying alignment, and bit-exact resume depends on it.
                NDArray oneHot = manager.create(segmentMatrix(batch.segmentOf(), s, n), new Shape(s, n)).duplicate();
                NDArray sums = oneHot.matMul(tokenLogps).reshape(s); // (S)
                NDArray logitMean;
                try (Autograd.Scope off = Autograd.recording(false)) {
                    logitMean = oneHot.matMul(logits.mean(new int[] {1}).reshape(n, 1)).reshape(s);
                }
                // Arrays made from Java data share memory with a Java buffer that closing frees; the graph
                // keeps index, target and oneHot for backward, so they must live in the pass's manager.
                NDScope.unregister(sums, logitMean, index, target, oneHot);
                return new NDArray[] {sums, logitMean};
            }
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
         * (accumulating, so gradient accumulation is just several passes).
         *
         * @param loss a scalar depending on {@link #logps()}
         */
        public void backward(NDArray loss) {
            if (mode == Mode.INFERENCE) {
                throw new IllegalStateException("an inference pass has no graph to back-propagate");
            }
            Autograd.backward(loss);
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
    }

    private static float[] segmentMatrix(int[] segmentOf, int segments, int n) {
        float[] m = new float[segments * n]; // (S, N): row s has ones at its tokens
        for (int j = 0; j < n; j++) {
            m[segmentOf[j] * n + j] = 1f;
        }
        return m;
    }
}
