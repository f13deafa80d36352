package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.quant.QuantizedWeight;
import dev.dpo4j.core.util.Casts;

/**
 * A linear projection {@code y = x·Wᵀ + b} with Hugging Face's weight layout.
 *
 * <p>Shapes: W is (out, in), b is (out); x is (…, in) and y is (…, out). The weights are frozen base
 * weights, held either dense (float32 or float16) or quantized ({@link QuantizedWeight}: NF4/FP4 per
 * block or int8 per row, QLoRA's frozen base). A quantized W is dequantized to the compute dtype just
 * before the matmul and its handle dropped right after; autograd keeps what backward needs by
 * reference, so in inference nothing of it outlives the call.
 *
 * <p>When W's compute dtype differs from x's (a quantized projection with its own
 * {@code bnb_4bit_compute_dtype}, or a tensor kept in float32 because its values overflow float16),
 * x is cast to it and y cast back to x's dtype. An {@link Adapter} (LoRA) attached to the projection adds
 * its own term {@code y = x·Wᵀ + b + adapter(x)} without changing W.
 */
public class Linear {
    private final NDArray weight; // (out, in) dense, or null when quantized
    private final QuantizedWeight quantized; // or null
    private final DataType computeType; // the dtype the matmul runs in
    private final NDArray bias; // (out) or null
    private final long[] shape; // (out, in)
    private Adapter adapter;

    /** A term added to the projection's output, such as a LoRA update. */
    @FunctionalInterface
    public interface Adapter {
        /**
         * The adapter's contribution for input x.
         *
         * @param x (…, in)
         * @return (…, out) in x's dtype, or {@code null} when the adapter is switched off
         */
        NDArray delta(NDArray x);
    }

    /**
     * Creates a dense projection; it computes in the weight's dtype.
     *
     * @param weight (out, in)
     * @param bias (out), or {@code null} for none
     */
    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.quantized = null;
        this.computeType = weight.getDataType();
        this.bias = bias;
        this.shape = weight.getShape().getShape();
    }

    /**
     * Creates a projection over a quantized weight.
     *
     * @param weight the quantized (out, in) weight
     * @param bias (out), or {@code null} for none
     * @param computeType FLOAT32 or FLOAT16: what W is dequantized to for the matmul
     */
    public Linear(QuantizedWeight weight, NDArray bias, DataType computeType) {
        this.weight = null;
        this.quantized = weight;
        this.computeType = computeType;
        this.bias = bias;
        this.shape = weight.shape().clone();
    }

    /** The weight's shape (out, in). */
    public long[] shape() {
        return shape.clone();
    }

    /** Whether W is held quantized. */
    public boolean isQuantized() {
        return quantized != null;
    }

    /** The quantized weight, or {@code null} when W is dense. */
    public QuantizedWeight quantized() {
        return quantized;
    }

    /** The dtype the matmul runs in. */
    public DataType computeType() {
        return computeType;
    }

    /**
     * The dense weight, (out, in).
     *
     * @return W as held
     * @throws IllegalStateException when W is quantized (use {@link #denseWeight})
     */
    public NDArray weight() {
        if (weight == null) {
            throw new IllegalStateException("the weight is quantized (" + quantized.config().label()
                    + "); use denseWeight(manager, type) for its dequantized values");
        }
        return weight;
    }

    /**
     * A fresh (out, in) copy of W in a given type: dequantized when quantized.
     *
     * @param manager owns the copy
     * @param type FLOAT32 or FLOAT16
     * @return the copy (close it when done)
     */
    public NDArray denseWeight(NDManager manager, DataType type) {
        if (quantized != null) {
            return quantized.dequantize(manager, type);
        }
        NDArray copy = weight.toType(type, true);
        copy.attach(manager);
        return copy;
    }

    /** The bias, (out), or {@code null}. */
    public NDArray bias() {
        return bias;
    }

    /**
     * Projects x.
     *
     * @param x (…, in)
     * @return (…, out), in x's dtype
     */
    public NDArray forward(NDArray x) {
        NDArray y;
        if (quantized != null) {
            try (NDArray w = quantized.dequantize(x.getManager(), computeType)) { // (out, in), dropped after use
                y = project(x, w);
            }
        } else {
            y = project(x, weight);
        }
        if (adapter != null) {
            NDArray delta = adapter.delta(x);
            if (delta != null) {
                y = y.add(delta);
            }
        }
        return y;
    }

    private NDArray project(NDArray x, NDArray w) {
        DataType in = x.getDataType();
        if (in == computeType) {
            return ai.djl.nn.core.Linear.linear(x, w, bias).singletonOrThrow();
        }
        NDArray b = bias == null ? null : bias.toType(computeType, false); // frozen: no gradient needed
        NDArray y = ai.djl.nn.core.Linear.linear(Casts.to(x, computeType), w, b).singletonOrThrow();
        return Casts.to(y, in);
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
