package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A linear projection {@code y = x·Wᵀ + b} with Hugging Face's weight layout.
 *
 * <p>Shapes: W is (out, in), b is (out); x is (…, in) and y is (…, out). The weights are frozen base
 * weights; an {@link Adapter} (LoRA) attached to the projection adds its own term
 * {@code y = x·Wᵀ + b + adapter(x)} without changing W.
 */
public class Linear {
    private final NDArray weight;
    private final NDArray bias;
    private Adapter adapter;

    /** A term added to the projection's output, such as a LoRA update. */
    @FunctionalInterface
    public interface Adapter {
        /**
         * The adapter's contribution for input x.
         *
         * @param x (…, in)
         * @return (…, out), or {@code null} when the adapter is switched off
         */
        NDArray delta(NDArray x);
    }

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
        NDArray y = ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
        if (adapter != null) {
            NDArray delta = adapter.delta(x);
            if (delta != null) {
                y = y.add(delta);
            }
        }
        return y;
    }

    /** The attached adapter, or {@code null}. */
    public Adapter adapter() {
        return adapter;
    }

    /**
     * Attaches an adapter, replacing any earlier one; {@code null} detaches.
     *
     * @param adapter the adapter or {@code null}
     */
    public void setAdapter(Adapter adapter) {
        this.adapter = adapter;
    }
}
