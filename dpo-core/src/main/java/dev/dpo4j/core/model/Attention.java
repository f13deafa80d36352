package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.util.Scalars;

/**
 * Grouped-query self-attention (Ainslie et al. 2023) with rotary positions and an explicit additive
 * mask, written as matMul + mask + softmax + matMul because DJL has no fused attention.
 *
 * <p>Letters: B batch, T new tokens, S key length (cached + new), H hidden, N query heads, Nkv key/value
 * heads, G = N / Nkv queries per key head, D head dim. The mask is additive, (B, 1, 1, T, S): 0 where a
 * query may attend, a large negative number elsewhere. Query heads are grouped as (Nkv, G) so keys and
 * values broadcast over the group instead of being repeated.
 *
 * <p>In float16 the scores, the softmax and both matmuls stay float16, as with transformers' eager
 * attention; the softmax kernel accumulates in float32 internally (torch's half softmax on CPU and CUDA),
 * so its result is softmax in float32 rounded to float16, without a float32 copy of the (T, S) scores
 * for autograd to keep. The scale 1/√D is a float32 scalar.
 */
public final class Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final NDArray scale; // 1/√D as an engine-owned float32 scalar, made once (see Scalars)

    /**
     * Creates the block.
     *
     * @param q {@code q_proj} (N·D, H)
     * @param k {@code k_proj} (Nkv·D, H)
     * @param v {@code v_proj} (Nkv·D, H)
     * @param o {@code o_proj} (H, N·D)
     * @param config head counts and head dim
     * @param manager owns the block's constants (the model's manager)
     */
    public Attention(Linear q, Linear k, Linear v, Linear o, ModelConfig config, NDManager manager) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.numHeads = config.numHeads();
        this.numKvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.scale = Scalars.of(manager, DataType.FLOAT32, (float) (1.0 / Math.sqrt(headDim)));
    }

    /**
     * Attends.
     *
     * @param x (B, T, H) normalised hidden states
     * @param cos (B, T, 1, D) rotary table
     * @param sin (B, T, 1, D) rotary table
     * @param mask (B, 1, 1, T, S) additive mask, ideally already in x's type ({@link AttentionMask#cast})
     * @param cache the KV cache, or {@code null} when S = T
     * @param layer this layer's index in the cache
     * @return (B, T, H)
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, int layer) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int groups = numHeads / numKvHeads;
        // Project and rotate: (B, T, N, D) and (B, T, Nkv, D).
        NDArray qs = RotaryEmbedding.apply(q.forward(x).reshape(b, t, numHeads, headDim), cos, sin);
        NDArray ks = RotaryEmbedding.apply(k.forward(x).reshape(b, t, numKvHeads, headDim), cos, sin);
        NDArray vs = v.forward(x).reshape(b, t, numKvHeads, headDim);
        // Heads first: (B, Nkv, T, D).
        ks = ks.transpose(0, 2, 1, 3);
        vs = vs.transpose(0, 2, 1, 3);
        if (cache != null) {
            NDList all = cache.update(layer, ks, vs); // (B, Nkv, S, D) each
            ks = all.get(0);
            vs = all.get(1);
        }
        long s = ks.getShape().get(2);
        NDArray m = AttentionMask.cast(mask, x.getDataType());
        // Queries grouped under their key head: (B, T, Nkv, G, D) -> (B, Nkv, G, T, D).
        NDArray qg = qs.reshape(b, t, numKvHeads, groups, headDim).transpose(0, 2, 3, 1, 4);
        NDArray kT = ks.reshape(b, numKvHeads, 1, s, headDim).transpose(0, 1, 2, 4, 3); // (B, Nkv, 1, D, S)
        NDArray scores = qg.matMul(kT).mul(scale).add(m); // (B, Nkv, G, T, S)
        NDArray probs = scores.softmax(-1);
        NDArray ctx = probs.matMul(vs.reshape(b, numKvHeads, 1, s, headDim)); // (B, Nkv, G, T, D)
        // Back to (B, T, N·D) with heads in HF order (kv head major, group minor).
        NDArray merged = ctx.transpose(0, 3, 1, 2, 4).reshape(b, t, (long) numHeads * headDim);
        return o.forward(merged);
    }
}
