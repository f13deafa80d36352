package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm decoder layer: {@code h = x + attn(norm1(x)); out = h + mlp(norm2(h))}. Gemma 2 and 3
 * also normalise each block's output ("sandwich" norms): {@code h = x + postAttn(attn(input(x)));
 * out = h + postFf(mlp(preFf(h)))}. Shapes as in {@link Attention}.
 */
public final class DecoderLayer {
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final RmsNorm preFeedforwardNorm; // Gemma 2/3, else null
    private final RmsNorm postFeedforwardNorm; // Gemma 2/3, else null
    private final GatedMlp mlp;

    /**
     * Creates a Llama-style layer.
     *
     * @param inputNorm {@code input_layernorm}
     * @param attention {@code self_attn}
     * @param postAttentionNorm {@code post_attention_layernorm}, the MLP's input norm
     * @param mlp {@code mlp}
     */
    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, GatedMlp mlp) {
        this(inputNorm, attention, postAttentionNorm, null, null, mlp);
    }

    /**
     * Creates a layer; with the two feed-forward norms it is Gemma 2/3's.
     *
     * @param inputNorm {@code input_layernorm}
     * @param attention {@code self_attn}
     * @param postAttentionNorm {@code post_attention_layernorm}: the MLP's input norm, or with sandwich
     *     norms the attention output's
     * @param preFeedforwardNorm {@code pre_feedforward_layernorm}, or {@code null}
     * @param postFeedforwardNorm {@code post_feedforward_layernorm}, or {@code null}
     * @param mlp {@code mlp}
     */
    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm,
                        RmsNorm preFeedforwardNorm, RmsNorm postFeedforwardNorm, GatedMlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.preFeedforwardNorm = preFeedforwardNorm;
        this.postFeedforwardNorm = postFeedforwardNorm;
        this.mlp = mlp;
    }

    /**
     * Runs the layer.
     *
     * @param x (B, T, H)
     * @param cos (B, T, 1, d)
     * @param sin (B, T, 1, d)
     * @param mask (B, 1, 1, T, S) additive
     * @param cache KV cache or {@code null}
     * @param index this layer's index
     * @return (B, T, H)
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, int index) {
        NDArray attended = attention.forward(inputNorm.forward(x), cos, sin, mask, cache, index);
        if (preFeedforwardNorm == null) {
            NDArray h = x.add(attended);
            return h.add(mlp.forward(postAttentionNorm.forward(h)));
        }
        NDArray h = x.add(postAttentionNorm.forward(attended));
        return h.add(postFeedforwardNorm.forward(mlp.forward(preFeedforwardNorm.forward(h))));
    }
}
