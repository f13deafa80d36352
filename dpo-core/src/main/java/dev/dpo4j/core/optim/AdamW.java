package dev.dpo4j.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} (the Hugging Face Trainer's
 * default {@code adamw_torch}); Loshchilov and Hutter, "Decoupled Weight Decay Regularization",
 * ICLR 2019, <a href="https://arxiv.org/abs/1711.05101">arXiv:1711.05101</a>.
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at its step {@code t} (1 on its first
 * update), exactly in PyTorch's order of float32 operations:
 * <pre>
 * p  = p · (1 − lr·λ)                          (decoupled weight decay, skipped when λ = 0)
 * m  = m + (1 − β1)·(g − m)                     (= β1·m + (1 − β1)·g, torch's lerp_)
 * v  = β2·v + ((1 − β2)·g)·g
 * bc1 = 1 − β1^t,  bc2 = 1 − β2^t               (in double, as Python does)
 * p  = p − ((lr / bc1)·m) / (sqrt(v) / sqrt(bc2) + ε)
 * </pre>
 * with {@code m} ({@code exp_avg}) and {@code v} ({@code exp_avg_sq}) starting at zero. The
 * buffers are created on the first step of each parameter, on its device, under a manager the
 * optimizer owns; {@link #close()} frees them.
 *
 * <pre>{@code
 * try (AdamW adamw = AdamW.builder().optWeightDecay(0.01).build()) {
 *     adamw.step(params, grads, 5e-6);
 * }
 * }</pre>
 */
public final class AdamW implements Optimizer {

    /** The name written in saved states. */
    public static final String NAME = "adamw";
    /** Buffer name of the first moment, as in PyTorch's state dict. */
    public static final String EXP_AVG = "exp_avg";
    /** Buffer name of the second moment, as in PyTorch's state dict. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final StateBuffers buffers = new StateBuffers(NAME);
    private final Map<String, Long> paramSteps = new LinkedHashMap<>();
    private long step;

    private AdamW(Builder builder) {
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.eps = builder.eps;
        this.weightDecay = builder.weightDecay;
    }

    /**
     * Starts a builder with PyTorch's and Hugging Face's defaults: betas (0.9, 0.999), eps 1e-8,
     * weight decay 0.0 ({@code TrainingArguments.weight_decay}; PyTorch's own default is 0.01).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns an AdamW with all defaults of {@link #builder()}.
     *
     * @return a new optimizer
     */
    public static AdamW withDefaults() {
        return builder().build();
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        buffers.ensureOpen();
        StateBuffers.forEachPair(NAME, params, grads, (name, p, g) -> update(name, p, g, lr));
        step++;
    }

    private void update(String name, NDArray p, NDArray g, double lr) {
        NDArray m = buffers.find(OptimizerState.key(EXP_AVG, name), p);
        NDArray v = buffers.find(OptimizerState.key(EXP_AVG_SQ, name), p);
        if (m == null || v == null) {
            if (m != null || v != null || paramSteps.containsKey(name)) {
                throw new IllegalArgumentException(NAME + ": restored state of '" + name
                        + "' lacks " + (m == null ? EXP_AVG : EXP_AVG_SQ));
            }
            m = buffers.zeros(OptimizerState.key(EXP_AVG, name), p);
            v = buffers.zeros(OptimizerState.key(EXP_AVG_SQ, name), p);
        }
        long t = paramSteps.merge(name, 1L, Long::sum);

        // p = p·(1 − lr·λ)
        if (weightDecay != 0) {
            p.muli(1 - lr * weightDecay);
        }
        // m = m + (1 − β1)·(g − m)
        try (NDArray delta = g.sub(m)) {
            m.addi(delta.muli(1 - beta1));
        }
        // v = β2·v + ((1 − β2)·g)·g
        try (NDArray gg = g.mul(1 - beta2)) {
            v.muli(beta2).addi(gg.muli(g));
        }
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / biasCorrection1;
        // p = p − (stepSize·m) / (sqrt(v) / sqrt(bc2) + ε)
        try (NDArray denom = v.sqrt(); NDArray update = m.mul(stepSize)) {
            denom.divi(Math.sqrt(biasCorrection2)).addi(eps);
            p.subi(update.divi(denom));
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        buffers.exportTo(tensors, shapes);
        return new OptimizerState(NAME, step, paramSteps, tensors, shapes);
    }

    @Override
    public void restore(OptimizerState state) {
        buffers.ensureOpen();
        if (!NAME.equals(state.optimizer())) {
            throw new IllegalArgumentException(NAME + ": cannot restore the state of a '"
                    + state.optimizer() + "' optimizer");
        }
        for (String key : state.tensors().keySet()) {
            String param = paramOf(key);
            if (!state.paramSteps().containsKey(param)) {
                throw new IllegalArgumentException(NAME + ": state buffer '" + key
                        + "' has no step count for '" + param + "'");
            }
        }
        for (String param : state.paramSteps().keySet()) {
            for (String buffer : new String[] {EXP_AVG, EXP_AVG_SQ}) {
                if (!state.tensors().containsKey(OptimizerState.key(buffer, param))) {
                    throw new IllegalArgumentException(NAME + ": state has a step count for '"
                            + param + "' but no buffer '" + OptimizerState.key(buffer, param)
                            + "'");
                }
            }
        }
        buffers.restore(state);
        paramSteps.clear();
        paramSteps.putAll(state.paramSteps());
        step = state.step();
    }

    private static String paramOf(String key) {
        for (String buffer : new String[] {EXP_AVG, EXP_AVG_SQ}) {
            String prefix = buffer + "/";
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return key.substring(prefix.length());
            }
        }
        throw new IllegalArgumentException(NAME + ": unknown state buffer '" + key
                + "'; expected " + EXP_AVG + "/<param> or " + EXP_AVG_SQ + "/<param>");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Frees the moment buffers. */
    @Override
    public void close() {
        buffers.close();
    }

    @Override
    public String toString() {
        return "AdamW[betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay="
                + weightDecay + ", step=" + step + "]";
    }

    /** Settings of an {@link AdamW}; every setting is optional. */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;

        private Builder() {
        }

        /**
         * Sets the moment decay rates ({@code adam_beta1}, {@code adam_beta2}); default
         * (0.9, 0.999).
         *
         * @param beta1 decay of the first moment, in [0, 1)
         * @param beta2 decay of the second moment, in [0, 1)
         * @return this builder
         */
        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets the term added to the denominator ({@code adam_epsilon}); default 1e-8.
         *
         * @param eps a value &gt;= 0
         * @return this builder
         */
        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Sets the decoupled weight decay λ ({@code weight_decay}); default 0.0 as in Hugging
         * Face {@code TrainingArguments}.
         *
         * @param weightDecay a value &gt;= 0
         * @return this builder
         */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Validates the settings and builds the optimizer.
         *
         * @return a new optimizer with empty state
         * @throws IllegalArgumentException if a setting is out of range, naming it
         */
        public AdamW build() {
            checkRange("adam_beta1", beta1, 0, 1);
            checkRange("adam_beta2", beta2, 0, 1);
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("adamw: adam_epsilon must be finite and >= 0, "
                        + "got " + eps);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("adamw: weight_decay must be finite and >= 0, "
                        + "got " + weightDecay);
            }
            return new AdamW(this);
        }

        private static void checkRange(String field, double value, double low, double high) {
            if (!(value >= low && value < high)) {
                throw new IllegalArgumentException("adamw: " + field + " must be in [" + low
                        + ", " + high + "), got " + value);
            }
        }
    }
}
