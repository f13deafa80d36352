package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A linear projection {@code y = x·Wᵀ + b} with Hugging Face's weight layout.
 *
 * <p>Shapes: W is (out, in), b is (out); x is (…, in) and y is (…, out). The weights are frozen base
 * weights; adapters (LoRA) wrap a {@code Linear} rather than change it.
 */
public class Linear {
    private final NDArray weight;
    private final NDArray bias;

    /**
     * Creates the projection.
     *
     * @param weight (out, in)
     * @param bias (out), or {@code null} for none
     */
    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** The weight, (out, in). */
    public NDArray weight() {
        return weight;
    }

    /** The bias, (out), or {@code null}. */
    public NDArray bias() {
        return bias;
    }

    /**
     * Projects x.
     *
     * @param x (…, in)
     * @return (…, out)
     */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
