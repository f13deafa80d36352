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
 * halves of the rotary dimensions and the angle of pair i at position p is {@code p · inv_freq[i]}. With a
 * {@code partial_rotary_factor} below 1 (Phi-4-mini) only the first d of the D head dimensions rotate and
 * the rest pass through; yarn and longrope multiply cos and sin by their attention factor
 * ({@link RopeParameters}).
 *
 * <p>Angles are computed in float32, as transformers does, for arbitrary per-token positions, so left
 * padding, KV-cache decoding and prefix sharing only need the right position ids. The length-dependent
 * types (longrope, dynamic) take the largest position of the call plus one as the sequence length, as
 * transformers' {@code dynamic_rope_update} does. Letters: B batch, T tokens, N heads, D head dim, d
 * rotary dims.
 */
public final class RotaryEmbedding {
    private final RopeParameters params;
    private final int headDim;
    private final int maxPositions;

    /**
     * Creates the embedding of a config's full-attention layers.
     *
     * @param config the model config (head_dim, RoPE parameters)
     */
    public RotaryEmbedding(ModelConfig config) {
        this(config.rope(), config.headDim(), config.maxPositionEmbeddings());
    }

    /**
     * Creates the embedding for one set of RoPE parameters.
     *
     * @param params the parameters (one layer type's)
     * @param headDim D
     * @param maxPositions {@code max_position_embeddings} (dynamic NTK reads it)
     */
    public RotaryEmbedding(RopeParameters params, int headDim, int maxPositions) {
        this.params = params;
        this.headDim = headDim;
        this.maxPositions = maxPositions;
    }

    /** The parameters. */
    public RopeParameters parameters() {
        return params;
    }

    /** The (scaled) inverse frequencies at the shortest lengths (longrope's short factors), length d/2. */
    public float[] inverseFrequencies() {
        return params.frequencies(headDim, maxPositions, 1).inverse();
    }

    /**
     * Which table a sequence of this length uses ({@link RopeParameters#regime}).
     *
     * @param length the largest position plus one
     * @return equal for lengths that share a table
     */
    public long regime(long length) {
        return params.regime(length, maxPositions);
    }

    /**
     * Builds cos and sin tables for the given positions.
     *
     * @param manager where to allocate
     * @param positions (B, T) position of every token, row-major
     * @param batch B
     * @param tokens T
     * @return cos and sin, each (B, T, 1, d)
     */
    public NDList tables(NDManager manager, long[] positions, int batch, int tokens) {
        long longest = 0;
        for (long p : positions) {
            longest = Math.max(longest, p + 1);
        }
        RopeParameters.Frequencies fr = params.frequencies(headDim, maxPositions, longest);
        float[] invFreq = fr.inverse();
        float scaling = fr.scaling();
        int half = invFreq.length;
        int dim = 2 * half;
        float[] cos = new float[positions.length * dim];
        float[] sin = new float[positions.length * dim];
        for (int p = 0; p < positions.length; p++) {
            float pos = positions[p];
            int off = p * dim;
            for (int i = 0; i < half; i++) {
                float angle = pos * invFreq[i];
                float c = (float) Math.cos(angle) * scaling;
                float s = (float) Math.sin(angle) * scaling;
                cos[off + i] = c;
                cos[off + half + i] = c;
                sin[off + i] = s;
                sin[off + half + i] = s;
            }
        }
        Shape shape = new Shape(batch, tokens, 1, dim);
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
     * @return cos and sin, each (B, T, 1, d) in {@code type}
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
     * Rotates queries or keys: the first d head dimensions, the rest passed through.
     *
     * @param x (B, T, N, D)
     * @param cos (B, T, 1, d)
     * @param sin (B, T, 1, d)
     * @return (B, T, N, D)
     */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long dim = cos.getShape().get(3);
        if (dim < x.getShape().get(3)) {
            NDArray rot = x.get(new NDIndex("..., :{}", dim)); // (B, T, N, d)
            NDArray pass = x.get(new NDIndex("..., {}:", dim)); // (B, T, N, D − d)
            return rotate(rot, cos, sin).concat(pass, -1);
        }
        return rotate(x, cos, sin);
    }

    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half)); // (B, T, N, d/2)
        NDArray x2 = x.get(new NDIndex("..., {}:", half)); // (B, T, N, d/2)
        NDArray rotated = x2.neg().concat(x1, -1); // (B, T, N, d)
        return x.mul(cos).add(rotated.mul(sin));
    }
}
