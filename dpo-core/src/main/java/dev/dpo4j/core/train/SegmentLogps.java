package dev.dpo4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LayerContext;
import dev.dpo4j.core.score.TokenLogps;

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
 * <p>A bounded LM head, in every mode: {@link TokenLogps}, the one head of dpo4j's log-probs (the
 * scorer's too), takes the N predicting states {@link #headChunkRows()} at a time. In training the head
 * records no graph on the forward: the token log-probs become a leaf, and backward recomputes each
 * chunk's logits from its states to turn d loss / d token log-prob into d loss / d state — the same
 * gradients as the unchunked head (the tests compare them), holding one chunk's logits at a time.
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
    private final TokenLogps head;

    /**
     * Creates the runner with the default head chunk ({@value TokenLogps#HEAD_CHUNK_LOGITS} logits).
     *
     * @param model the (possibly adapted) model
     */
    public SegmentLogps(DecoderModel model) {
        this.model = model;
        this.head = new TokenLogps(model);
    }

    /**
     * Creates the runner with a given head chunk.
     *
     * @param model the (possibly adapted) model
     * @param headChunkRows C, predicting states per LM-head chunk (≥ 1)
     */
    public SegmentLogps(DecoderModel model, int headChunkRows) {
        this.model = model;
        this.head = new TokenLogps(model, headChunkRows);
    }

    /** C, the predicting states per LM-head chunk. */
    public int headChunkRows() {
        return head.chunkRows();
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
            TokenLogps.Result tokens = head.forward(mode == Mode.INFERENCE ? states
                    : (stateLeaf = states.stopGradient()), targets);
            NDArray tokenLogps = tokens.logps(); // (N, 1), no graph
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
                logitMeans = oneHot.matMul(tokens.logitMeans()).reshape(batch.segments())
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
            NDArray stateGrads = head.backward(stateLeaf, targets, tokenLeaf.getGradient()); // (N, H)
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
    }

    private static float[] segmentMatrix(int[] segmentOf, int segments, int n) {
        float[] m = new float[segments * n]; // (S, N): row s has ones at its tokens
        for (int j = 0; j < n; j++) {
            m[segmentOf[j] * n + j] = 1f;
        }
        return m;
    }
}
