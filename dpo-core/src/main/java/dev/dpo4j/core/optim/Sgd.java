package dev.dpo4j.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}, with optional weight decay, momentum,
 * dampening and Nesterov momentum.
 *
 * <p>For each parameter {@code p} with gradient {@code g}, in PyTorch's order:
 * <pre>
 * d = g + λ·p                                   (skipped when λ = 0)
 * b = d on the first step, else μ·b + (1 − τ)·d  (skipped when μ = 0)
 * d = d + μ·b if Nesterov, else b               (when μ ≠ 0)
 * p = p − lr·d
 * </pre>
 * The momentum buffer {@code b} ({@code momentum_buffer}) is created on a parameter's first step
 * and owned by the optimizer; {@link #close()} frees it. With the defaults (no momentum, no
 * weight decay) the optimizer holds no state and an update is {@code p = p − lr·g}.
 */
public final class Sgd implements Optimizer {

    /** The name written in saved states. */
    public static final String NAME = "sgd";
    /** Buffer name of the momentum, as in PyTorch's state dict. */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final StateBuffers buffers = new StateBuffers(NAME);
    private long step;

    private Sgd(Builder builder) {
        this.momentum = builder.momentum;
        this.dampening = builder.dampening;
        this.weightDecay = builder.weightDecay;
        this.nesterov = builder.nesterov;
    }

    /**
     * Starts a builder with PyTorch's defaults: no momentum, dampening 0, no weight decay, no
     * Nesterov.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns plain SGD, {@code p = p − lr·g}.
     *
     * @return a new optimizer
     */
    public static Sgd plain() {
        return builder().build();
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        buffers.ensureOpen();
        StateBuffers.forEachPair(NAME, params, grads, (name, p, g) -> update(name, p, g, lr));
        step++;
    }

    private void update(String name, NDArray p, NDArray g, double lr) {
        // d = g + λ·p, a new array so the caller's gradient is left as it was
        NDArray d;
        if (weightDecay != 0) {
            try (NDArray decay = p.mul(weightDecay)) {
                d = g.add(decay);
            }
        } else {
            d = g.duplicate();
        }
        try {
            if (momentum != 0) {
                String key = OptimizerState.key(MOMENTUM_BUFFER, name);
                NDArray b = buffers.find(key, p);
                if (b == null) {
                    // first step: b = clone(d)
                    b = buffers.adopt(key, d.duplicate());
                } else {
                    // b = μ·b + (1 − τ)·d
                    try (NDArray scaled = d.mul(1 - dampening)) {
                        b.muli(momentum).addi(scaled);
                    }
                }
                if (nesterov) {
                    // d = d + μ·b
                    try (NDArray mb = b.mul(momentum)) {
                        d.addi(mb);
                    }
                } else {
                    d.close();
                    d = b.duplicate();
                }
            }
            // p = p − lr·d
            p.subi(d.muli(lr));
        } finally {
            d.close();
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        buffers.exportTo(tensors, shapes);
        return new OptimizerState(NAME, step, Map.of(), tensors, shapes);
    }

    @Override
    public void restore(OptimizerState state) {
        buffers.ensureOpen();
        if (!NAME.equals(state.optimizer())) {
            throw new IllegalArgumentException(NAME + ": cannot restore the state of a '"
                    + state.optimizer() + "' optimizer");
        }
        if (!state.paramSteps().isEmpty()) {
            throw new IllegalArgumentException(NAME + ": SGD keeps no per-parameter step counts"
                    + " but the state has " + state.paramSteps().size());
        }
        String prefix = MOMENTUM_BUFFER + "/";
        for (String key : state.tensors().keySet()) {
            if (!key.startsWith(prefix) || key.length() == prefix.length()) {
                throw new IllegalArgumentException(NAME + ": unknown state buffer '" + key
                        + "'; expected " + prefix + "<param>");
            }
        }
        if (momentum == 0 && !state.tensors().isEmpty()) {
            throw new IllegalArgumentException(NAME + ": the state holds momentum buffers but "
                    + "this optimizer has no momentum");
        }
        buffers.restore(state);
        step = state.step();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Frees the momentum buffers. */
    @Override
    public void close() {
        buffers.close();
    }

    @Override
    public String toString() {
        return "Sgd[momentum=" + momentum + ", dampening=" + dampening + ", weightDecay="
                + weightDecay + ", nesterov=" + nesterov + ", step=" + step + "]";
    }

    /** Settings of an {@link Sgd}; every setting is optional. */
    public static final class Builder {
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;

        private Builder() {
        }

        /**
         * Sets the momentum factor μ; default 0 (no momentum buffer).
         *
         * @param momentum a value &gt;= 0
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets the dampening τ of the momentum; default 0.
         *
         * @param dampening a value in [0, 1]
         * @return this builder
         */
        public Builder optDampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /**
         * Sets the L2 weight decay λ added to the gradient (coupled, unlike AdamW's); default 0.
         *
         * @param weightDecay a value &gt;= 0
         * @return this builder
         */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Enables Nesterov momentum; default off.
         *
         * @param nesterov whether to use Nesterov momentum
         * @return this builder
         */
        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * Validates the settings and builds the optimizer.
         *
         * @return a new optimizer with empty state
         * @throws IllegalArgumentException if a setting is out of range or Nesterov momentum is
         *     asked for without momentum or with dampening (as PyTorch refuses)
         */
        public Sgd build() {
            if (!(momentum >= 0) || Double.isInfinite(momentum)) {
                throw new IllegalArgumentException("sgd: momentum must be finite and >= 0, got "
                        + momentum);
            }
            if (!(dampening >= 0 && dampening <= 1)) {
                throw new IllegalArgumentException("sgd: dampening must be in [0, 1], got "
                        + dampening);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("sgd: weight_decay must be finite and >= 0, "
                        + "got " + weightDecay);
            }
            if (nesterov && (momentum == 0 || dampening != 0)) {
                throw new IllegalArgumentException("sgd: Nesterov momentum requires momentum > 0 "
                        + "and dampening 0, got momentum " + momentum + ", dampening "
                        + dampening);
            }
            return new Sgd(this);
        }
    }
}
