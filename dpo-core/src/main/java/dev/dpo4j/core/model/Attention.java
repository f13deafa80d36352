package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * for autograd to keep. The scale 1/√D (Gemma 2/3: 1/√{@code query_pre_attn_scalar}) is a float32 scalar.
 *
 * <p>Family switches: Phi-3's fused {@code qkv_proj} is split after one matmul; Qwen3 and Gemma 3
 * normalise each query and key head ({@code q_norm}, {@code k_norm}) before RoPE; Gemma 2 soft-caps the
 * scores, {@code tanh(s/c)·c}, before the mask.
 */
public final class Attention {
    private final Linear q; // separate projections, or null when fused
    private final Linear k;
    private final Linear v;
    private final Linear qkv; // Phi-3's fused projection, or null
    private final Linear o;
    private final RmsNorm qNorm; // Qwen3/Gemma 3 per-head norms, or null
    private final RmsNorm kNorm;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final NDArray scale; // 1/sqrt(query_pre_attn_scalar or D), an engine-owned float32 scalar (see Scalars)
    private final float softcap; // attn_logit_softcapping, 0 for none

    /**
     * Creates the block with separate projections and no per-head norms (Llama, Mistral, Qwen2, Gemma).
     *
     * @param q {@code q_proj} (N·D, H)
     * @param k {@code k_proj} (Nkv·D, H)
     * @param v {@code v_proj} (Nkv·D, H)
     * @param o {@code o_proj} (H, N·D)
     * @param config head counts and head dim
     * @param manager owns the block's constants (the model's manager)
     */
    public Attention(Linear q, Linear k, Linear v, Linear o, ModelConfig config, NDManager manager) {
        this(new Projections(q, k, v, null, o), null, null, config, manager);
    }

    /**
     * Creates the block.
     *
     * @param p the projections, separate or fused
     * @param qNorm {@code q_norm} over each query head's D values, or {@code null}
     * @param kNorm {@code k_norm} over each key head's D values, or {@code null}
     * @param config head counts, head dim, attention scale, soft-capping
     * @param manager owns the block's constants (the model's manager)
     */
    public Attention(Projections p, RmsNorm qNorm, RmsNorm kNorm, ModelConfig config, NDManager manager) {
        this.q = p.q();
        this.k = p.k();
        this.v = p.v();
        this.qkv = p.qkv();
        this.o = p.o();
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.numHeads = config.numHeads();
        this.numKvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.scale = Scalars.of(manager, DataType.FLOAT32, (float) (1.0 / Math.sqrt(config.queryPreAttnScalar())));
        this.softcap = (float) config.attnLogitSoftcapping();
    }

    /**
     * The projections of one attention block: q, k and v separately, or Phi-3's fused {@code qkv_proj}
     * whose output rows are the queries, then the keys, then the values.
     *
     * @param q {@code q_proj}, or {@code null} when fused
     * @param k {@code k_proj}, or {@code null} when fused
     * @param v {@code v_proj}, or {@code null} when fused
     * @param qkv {@code qkv_proj} ((N + 2·Nkv)·D, H), or {@code null}
     * @param o {@code o_proj}
     */
    public record Projections(Linear q, Linear k, Linear v, Linear qkv, Linear o) {
    }

    /**
     * Attends.
     *
     * @param x (B, T, H) normalised hidden states
     * @param cos (B, T, 1, d) rotary table
     * @param sin (B, T, 1, d) rotary table
     * @param mask (B, 1, 1, T, S) additive mask, ideally already in x's type ({@link AttentionMask#cast})
     * @param cache the KV cache, or {@code null} when S = T
     * @param layer this layer's index in the cache
     * @return (B, T, H)
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, int layer) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int groups = numHeads / numKvHeads;
        long qWidth = (long) numHeads * headDim;
        long kvWidth = (long) numKvHeads * headDim;
        // Project: (B, T, N·D) and (B, T, Nkv·D).
        NDArray qs;
        NDArray ks;
        NDArray vs;
        if (qkv != null) {
            NDArray all = qkv.forward(x); // (B, T, (N + 2·Nkv)·D)
            qs = all.get(new NDIndex("..., :{}", qWidth));
            ks = all.get(new NDIndex("..., {}:{}", qWidth, qWidth + kvWidth));
            vs = all.get(new NDIndex("..., {}:", qWidth + kvWidth));
        } else {
            qs = q.forward(x);
            ks = k.forward(x);
            vs = v.forward(x);
        }
        qs = qs.reshape(b, t, numHeads, headDim); // (B, T, N, D)
        ks = ks.reshape(b, t, numKvHeads, headDim); // (B, T, Nkv, D)
        vs = vs.reshape(b, t, numKvHeads, headDim);
        if (qNorm != null) {
            qs = qNorm.forward(qs); // over D, per head
            ks = kNorm.forward(ks);
        }
        qs = RotaryEmbedding.apply(qs, cos, sin);
        ks = RotaryEmbedding.apply(ks, cos, sin);
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
        NDArray scores = qg.matMul(kT).mul(scale); // (B, Nkv, G, T, S)
        if (softcap > 0) {
            // Gemma 2: tanh(s / c) · c bounds every score to (−c, c) before the mask.
            scores = Scalars.mul(Scalars.div(scores, softcap).tanh(), softcap);
        }
        NDArray probs = scores.add(m).softmax(-1);
        NDArray ctx = probs.matMul(vs.reshape(b, numKvHeads, 1, s, headDim)); // (B, Nkv, G, T, D)
        // Back to (B, T, N·D) with heads in HF order (kv head major, group minor).
        NDArray merged = ctx.transpose(0, 3, 1, 2, 4).reshape(b, t, qWidth);
        return o.forward(merged);
    }
}
