package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Root-mean-square layer norm (Zhang &amp; Sennrich 2019), computed in float32 as transformers does:
 * {@code y = x / sqrt(mean(x²) + eps) · w}, and for Gemma {@code · (1 + w)}.
 */
public final class RmsNorm {
    private final NDArray weight;
    private final float eps;
    private final NDArray scale; // (H): the weight, or 1 + weight for Gemma, computed once
    private final NDArray two; // engine-owned scalars, made once (see Scalars)
    private final NDArray minusHalf;

    /**
     * Creates the norm.
     *
     * @param weight (H) scale
     * @param eps {@code rms_norm_eps}
     * @param plusOne Gemma's {@code (1 + weight)} convention
     */
    public RmsNorm(NDArray weight, double eps, boolean plusOne) {
        this.weight = weight;
        this.eps = (float) eps;
        this.scale = plusOne ? weight.add(1f) : weight;
        this.two = Scalars.of(weight, 2);
        this.minusHalf = Scalars.of(weight, -0.5f);
    }

    /** The scale vector (H). */
    public NDArray weight() {
        return weight;
    }

    /**
     * Normalises over the last axis.
     *
     * @param x (…, H)
     * @return (…, H)
     */
    public NDArray forward(NDArray x) {
        NDArray variance = x.pow(two).mean(new int[] {-1}, true); // (…, 1)
        NDArray normed = x.mul(variance.add(eps).pow(minusHalf));
        return normed.mul(scale);
    }
}
