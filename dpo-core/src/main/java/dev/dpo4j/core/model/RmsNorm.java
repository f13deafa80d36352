package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.util.Casts;
import dev.dpo4j.core.util.Scalars;

/**
 * Root-mean-square layer norm (Zhang &amp; Sennrich 2019), computed in float32 as transformers does:
 * {@code y = x / sqrt(mean(x²) + eps) · w}, and for Gemma {@code · (1 + w)}. A float16 input is upcast
 * for the statistics and the scaling, and the result cast back to float16 (Gemma's
 * {@code output.type_as(x)}; Llama multiplies its float16 weight after the cast, which differs from this
 * in the last bit at most).
 */
public final class RmsNorm {
    private final NDArray weight;
    private final float eps;
    private final NDArray scale; // (H) float32: the weight, or 1 + weight for Gemma, computed once
    private final NDArray two; // engine-owned float32 scalars, made once (see Scalars)
    private final NDArray minusHalf;

    /**
     * Creates the norm.
     *
     * @param weight (H) scale (any float type; used in float32)
     * @param eps {@code rms_norm_eps}
     * @param plusOne Gemma's {@code (1 + weight)} convention
     */
    public RmsNorm(NDArray weight, double eps, boolean plusOne) {
        this.weight = weight;
        this.eps = (float) eps;
        NDArray w = weight.getDataType() == DataType.FLOAT32 ? weight : weight.toType(DataType.FLOAT32, true);
        this.scale = plusOne ? w.add(1f) : w;
        this.two = Scalars.of(scale, 2);
        this.minusHalf = Scalars.of(scale, -0.5f);
    }

    /** The scale vector (H) as loaded. */
    public NDArray weight() {
        return weight;
    }

    /**
     * Normalises over the last axis.
     *
     * @param x (…, H), float32 or float16
     * @return (…, H) in x's type
     */
    public NDArray forward(NDArray x) {
        DataType in = x.getDataType();
        NDArray x32 = Casts.to(x, DataType.FLOAT32);
        NDArray variance = x32.pow(two).mean(new int[] {-1}, true); // (…, 1)
        NDArray normed = x32.mul(variance.add(eps).pow(minusHalf)).mul(scale);
        return Casts.to(normed, in);
    }
}
