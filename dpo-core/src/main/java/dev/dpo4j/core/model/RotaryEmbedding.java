package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al. 2021, "RoFormer") in the rotate-half layout of transformers:
 * {@code x' = x·cos + rotate_half(x)·sin}, where {@code rotate_half([x1, x2]) = [-x2, x1]} over the two
 * halves of the head dimension and the angle of pair i at position p is {@code p · inv_freq[i]}.
 *
 * <p>Angles are computed in float32, as transformers does, for arbitrary per-token positions, so left
 * padding, KV-cache decoding and prefix sharing only need the right position ids. Letters: B batch, T
 * tokens, N heads, D head dim.
 */
public final class RotaryEmbedding {
    private final float[] invFreq; // (D/2)
    private final int headDim;

    /**
     * Creates the embedding from a config.
     *
     * @param config the model config (head_dim, rope_theta, rope_scaling)
     */
    public RotaryEmbedding(ModelConfig config) {
        this.headDim = config.headDim();
        float[] base = new float[headDim / 2];
        for (int i = 0; i < base.length; i++) {
            float exponent = (float) (2 * i) / headDim;
            base[i] = 1.0f / (float) Math.pow(config.ropeTheta(), exponent);
        }
        this.invFreq = config.ropeScaling().apply(base);
    }

    /** The (scaled) inverse frequencies, length D/2. */
    public float[] inverseFrequencies() {
        return invFreq.clone();
    }

    /**
     * Builds cos and sin tables for the given positions.
     *
     * @param manager where to allocate
     * @param positions (B, T) position of every token, row-major
     * @param batch B
     * @param tokens T
     * @return cos and sin, each (B, T, 1, D)
     */
    public NDList tables(NDManager manager, long[] positions, int batch, int tokens) {
        int half = headDim / 2;
        float[] cos = new float[positions.length * headDim];
        float[] sin = new float[positions.length * headDim];
        for (int p = 0; p < positions.length; p++) {
            float pos = positions[p];
            int off = p * headDim;
            for (int i = 0; i < half; i++) {
                float angle = pos * invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[off + i] = c;
                cos[off + half + i] = c;
                sin[off + i] = s;
                sin[off + half + i] = s;
            }
        }
        Shape shape = new Shape(batch, tokens, 1, headDim);
        return new NDList(manager.create(cos, shape), manager.create(sin, shape));
    }

    /**
     * Builds the tables in float32 and casts them to the activations' type, as transformers' rotary
     * embedding returns {@code cos.to(x.dtype)}.
     *
     * @param manager where to allocate
     * @param positions (B, T) position of every token, row-major
     * @param batch B
     * @param tokens T
     * @param type FLOAT32 or FLOAT16
     * @return cos and sin, each (B, T, 1, D) in {@code type}
     */
    public NDList tables(NDManager manager, long[] positions, int batch, int tokens, DataType type) {
        NDList cs = tables(manager, positions, batch, tokens);
        if (type == DataType.FLOAT32) {
            return cs;
        }
        NDList cast = new NDList(cs.get(0).toType(type, false), cs.get(1).toType(type, false));
        cs.close();
        return cast;
    }

    /**
     * Rotates queries or keys.
     *
     * @param x (B, T, N, D)
     * @param cos (B, T, 1, D)
     * @param sin (B, T, 1, D)
     * @return (B, T, N, D)
     */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half)); // (B, T, N, D/2)
        NDArray x2 = x.get(new NDIndex("..., {}:", half)); // (B, T, N, D/2)
        NDArray rotated = x2.neg().concat(x1, -1); // (B, T, N, D)
        return x.mul(cos).add(rotated.mul(sin));
    }
}
