package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm decoder layer: {@code h = x + attn(norm1(x)); out = h + mlp(norm2(h))}. Shapes as in
 * {@link Attention}.
 */
public final class DecoderLayer {
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final GatedMlp mlp;

    /**
     * Creates the layer.
     *
     * @param inputNorm {@code input_layernorm}
     * @param attention {@code self_attn}
     * @param postAttentionNorm {@code post_attention_layernorm}
     * @param mlp {@code mlp}
     */
    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, GatedMlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    /**
     * Runs the layer.
     *
     * @param x (B, T, H)
     * @param cos (B, T, 1, D)
     * @param sin (B, T, 1, D)
     * @param mask (B, 1, 1, T, S) additive
     * @param cache KV cache or {@code null}
     * @param index this layer's index
     * @return (B, T, H)
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, int index) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), cos, sin, mask, cache, index));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }
}
