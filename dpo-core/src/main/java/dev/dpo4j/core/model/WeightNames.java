package dev.dpo4j.core.model;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one table of Hugging Face tensor names and shapes for the decoders dpo4j runs.
 *
 * <p>Shapes use H hidden, I intermediate, V vocab, D head dim, N·D query width, Nkv·D key/value width.
 * Family differences: Phi-3 fuses q/k/v into {@code qkv_proj} and gate/up into {@code gate_up_proj};
 * Qwen3 and Gemma 3 add {@code q_norm}/{@code k_norm} (D) per layer; Gemma 2 and 3 add
 * {@code pre_feedforward_layernorm} and {@code post_feedforward_layernorm} (H).
 */
public final class WeightNames {
    /** {@code model.embed_tokens.weight}: (V, H). */
    public static final String EMBED = "model.embed_tokens.weight";
    /** {@code model.norm.weight}: (H). */
    public static final String FINAL_NORM = "model.norm.weight";
    /** {@code lm_head.weight}: (V, H); absent when tied to the embeddings. */
    public static final String LM_HEAD = "lm_head.weight";
    /** The seven linear projections of a Llama-style layer, by module name, in PEFT's naming. */
    private static final List<String> SEPARATE = List.of(
        "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
        "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");
    /** Phi-3's four: fused {@code qkv_proj} and {@code gate_up_proj}, as PEFT and vLLM name them. */
    private static final List<String> FUSED = List.of(
        "self_attn.qkv_proj", "self_attn.o_proj", "mlp.gate_up_proj", "mlp.down_proj");

    /** Tensors some checkpoints carry that the model recomputes, so they are read past. */
    private static final Pattern IGNORED = Pattern.compile("model\\.layers\\.\\d+\\.self_attn\\.rotary_emb\\.inv_freq");

    private WeightNames() {
    }

    /**
     * The name of a per-layer tensor.
     *
     * @param layer layer index
     * @param suffix e.g. {@code self_attn.q_proj.weight}
     * @return {@code model.layers.<layer>.<suffix>}
     */
    public static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    /**
     * The linear projections of every layer of a family, by module name (what LoRA adapts and a quantized
     * base packs).
     *
     * @param c the config
     * @return e.g. {@code self_attn.q_proj}, …, or Phi-3's {@code self_attn.qkv_proj}, …
     */
    public static List<String> projections(ModelConfig c) {
        return c.modelType().fusedProjections() ? FUSED : SEPARATE;
    }

    /**
     * True for checkpoint tensors that are known and deliberately not loaded.
     *
     * @param name a tensor name
     * @param config the config (a stored {@code lm_head.weight} is read past when embeddings are tied)
     * @return whether it may be left unused
     */
    public static boolean ignorable(String name, ModelConfig config) {
        return IGNORED.matcher(name).matches() || (config.tieWordEmbeddings() && LM_HEAD.equals(name));
    }

    /**
     * The weights of every layer's linear projections ({@code model.layers.<i>.<projection>.weight}):
     * what a quantized base quantizes (biases, norms, the embeddings and the LM head stay dense).
     *
     * @param c the config
     * @return the tensor names, in load order
     */
    public static Set<String> projectionWeights(ModelConfig c) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < c.numLayers(); i++) {
            for (String module : projections(c)) {
                out.add(layer(i, module + ".weight"));
            }
        }
        return out;
    }

    /**
     * Every tensor the model needs with its expected shape, in load order.
     *
     * @param c the config
     * @return name → shape
     */
    public static Map<String, long[]> expected(ModelConfig c) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        ModelType type = c.modelType();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(EMBED, new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numLayers(); i++) {
            m.put(layer(i, "input_layernorm.weight"), new long[] {h});
            if (type.fusedProjections()) {
                linear(m, layer(i, "self_attn.qkv_proj"), q + 2 * kv, h, c.qkvBias());
            } else {
                linear(m, layer(i, "self_attn.q_proj"), q, h, c.qkvBias());
                linear(m, layer(i, "self_attn.k_proj"), kv, h, c.qkvBias());
                linear(m, layer(i, "self_attn.v_proj"), kv, h, c.qkvBias());
            }
            linear(m, layer(i, "self_attn.o_proj"), h, q, c.outputBias());
            if (type.qkNorm()) {
                m.put(layer(i, "self_attn.q_norm.weight"), new long[] {c.headDim()});
                m.put(layer(i, "self_attn.k_norm.weight"), new long[] {c.headDim()});
            }
            m.put(layer(i, "post_attention_layernorm.weight"), new long[] {h});
            if (type.sandwichNorms()) {
                m.put(layer(i, "pre_feedforward_layernorm.weight"), new long[] {h});
                m.put(layer(i, "post_feedforward_layernorm.weight"), new long[] {h});
            }
            if (type.fusedProjections()) {
                linear(m, layer(i, "mlp.gate_up_proj"), 2 * inter, h, c.mlpBias());
            } else {
                linear(m, layer(i, "mlp.gate_proj"), inter, h, c.mlpBias());
                linear(m, layer(i, "mlp.up_proj"), inter, h, c.mlpBias());
            }
            linear(m, layer(i, "mlp.down_proj"), h, inter, c.mlpBias());
        }
        m.put(FINAL_NORM, new long[] {h});
        if (!c.tieWordEmbeddings()) {
            m.put(LM_HEAD, new long[] {c.vocabSize(), h});
        }
        return m;
    }

    private static void linear(Map<String, long[]> m, String module, long out, long in, boolean bias) {
        m.put(module + ".weight", new long[] {out, in});
        if (bias) {
            m.put(module + ".bias", new long[] {out});
        }
    }
}
