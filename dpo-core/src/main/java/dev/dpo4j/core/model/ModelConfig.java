package dev.dpo4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * The architecture of a decoder, read from a Hugging Face {@code config.json}.
 *
 * <p>Field names follow the Java convention; the Hugging Face keys are given in each description so
 * they stay searchable. Defaults follow the transformers config classes of each {@code model_type}.
 * Both config layouts are read: the one transformers 5 writes ({@code rope_parameters}, one dict or one
 * per layer type, and {@code layer_types}) and the older keys of checkpoints uploaded before it
 * ({@code rope_theta}, {@code rope_scaling}, {@code rope_local_base_freq}, {@code partial_rotary_factor},
 * {@code sliding_window_pattern}, {@code use_sliding_window}/{@code max_window_layers} and the
 * alternation each family implies); a config carrying both with different values is refused
 * ({@link ConfigLayout}).
 *
 * @param modelType {@code model_type}
 * @param vocabSize {@code vocab_size} (required)
 * @param hiddenSize {@code hidden_size} (required)
 * @param intermediateSize {@code intermediate_size} (required): width of the gated MLP
 * @param numLayers {@code num_hidden_layers} (required)
 * @param numHeads {@code num_attention_heads} (required)
 * @param numKvHeads {@code num_key_value_heads}; default = numHeads (multi-head attention)
 * @param headDim {@code head_dim}; default hidden/heads (Gemma's config classes default to 256, Qwen3's to
 *     128)
 * @param rmsNormEps {@code rms_norm_eps}; default 1e-6 (Phi-3: 1e-5)
 * @param rope RoPE of the full-attention layers ({@code rope_parameters} or {@code rope_theta} +
 *     {@code rope_scaling})
 * @param localRope RoPE of the sliding-window layers: Gemma 3's {@code rope_local_base_freq} or
 *     {@code rope_parameters.sliding_attention}; otherwise the same as {@code rope}
 * @param tieWordEmbeddings {@code tie_word_embeddings}: LM head shares the embedding matrix
 * @param maxPositionEmbeddings {@code max_position_embeddings}
 * @param activation {@code hidden_act} (Gemma: {@code hidden_activation})
 * @param qkvBias q/k/v projections have a bias (Qwen2 always; others with {@code attention_bias})
 * @param outputBias o_proj has a bias ({@code attention_bias}, except Qwen2)
 * @param mlpBias {@code mlp_bias} (Llama): gate/up/down have a bias
 * @param slidingWindow {@code sliding_window} of the sliding layers, 0 when no layer slides
 * @param layerTypes {@code layer_types}: per layer, full or sliding-window attention
 * @param queryPreAttnScalar attention scores are scaled by {@code 1/sqrt(this)}: Gemma 2/3's
 *     {@code query_pre_attn_scalar}, otherwise head_dim
 * @param attnLogitSoftcapping {@code attn_logit_softcapping} (Gemma 2: 50): scores become
 *     {@code tanh(s/c)·c} before the mask; 0 for none
 * @param finalLogitSoftcapping {@code final_logit_softcapping} (Gemma 2: 30): the same on the LM head's
 *     logits; 0 for none
 * @param bosTokenId {@code bos_token_id}, -1 when absent
 * @param eosTokenIds {@code eos_token_id} (int or list), empty when absent
 */
public record ModelConfig(
        ModelType modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        RopeParameters rope,
        RopeParameters localRope,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        HiddenActivation activation,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        int slidingWindow,
        List<LayerType> layerTypes,
        double queryPreAttnScalar,
        double attnLogitSoftcapping,
        double finalLogitSoftcapping,
        long bosTokenId,
        long[] eosTokenIds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The attention kind of one layer ({@code layer_types} values). */
    public enum LayerType {
        /** {@code full_attention}: every earlier token. */
        FULL("full_attention"),
        /** {@code sliding_attention}: the last {@code sliding_window} tokens. */
        SLIDING("sliding_attention");

        private final String hfName;

        LayerType(String hfName) {
            this.hfName = hfName;
        }

        /** The {@code layer_types} value. */
        public String hfName() {
            return hfName;
        }

        static LayerType fromHfName(String name) {
            for (LayerType t : values()) {
                if (t.hfName.equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Gemma normalises with {@code (1 + weight)} instead of {@code weight}. */
    public boolean normWeightPlusOne() {
        return modelType.isGemma();
    }

    /** Gemma multiplies the embeddings by {@code sqrt(hidden_size)}. */
    public boolean scaleEmbeddings() {
        return modelType.isGemma();
    }

    /** Query heads per key/value head (grouped-query attention group size). */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /**
     * The record's text with the EOS ids spelled out (a record prints an array as its identity, which
     * differs between two loads of the same config and made every fingerprint of the model unique).
     *
     * @return {@code ModelConfig[modelType=…, …, eosTokenIds=[2]]}
     */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "ModelConfig[", "]");
        for (RecordComponent c : ModelConfig.class.getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(this);
                text.add(c.getName() + "=" + (value instanceof long[] ids ? Arrays.toString(ids) : value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return text.toString();
    }

    /**
     * The sliding window of a layer.
     *
     * @param layer the layer index
     * @return its window in tokens, 0 for full attention
     */
    public int window(int layer) {
        return layerTypes.get(layer) == LayerType.SLIDING ? slidingWindow : 0;
    }

    /**
     * The RoPE of a layer.
     *
     * @param layer the layer index
     * @return {@link #localRope()} for a sliding layer, {@link #rope()} otherwise
     */
    public RopeParameters rope(int layer) {
        return layerTypes.get(layer) == LayerType.SLIDING ? localRope : rope;
    }

    /** Whether the layers differ in window or RoPE, so one mask or one table cannot serve them all. */
    public boolean layersDiffer() {
        return layerTypes.stream().distinct().count() > 1 && (slidingWindow > 0 || !rope.equals(localRope));
    }

    /**
     * Reads {@code config.json} from a model directory or the file itself.
     *
     * @param dirOrFile a model directory or a {@code config.json}
     * @return the validated config
     * @throws ModelConfigException naming the file and field on any problem
     */
    public static ModelConfig load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new ModelConfigException(file + ": not found (a model directory needs a Hugging Face config.json)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelConfigException(file + ": not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file + ": expected a JSON object");
        }
        return parse(root, file.toString());
    }

    /**
     * Parses a config tree.
     *
     * @param root the JSON object
     * @param source the file name used in error messages
     * @return the validated config
     */
    public static ModelConfig parse(JsonNode root, String source) {
        Fields f = new Fields(root, source);
        String typeName = f.string("model_type", null);
        if (typeName == null) {
            throw new ModelConfigException(source + ": missing required field 'model_type' (supported: "
                    + ModelType.supportedList() + ")");
        }
        ModelType type = ModelType.fromHfName(typeName);
        if (type == null) {
            String hint = "gemma3".equals(typeName) ? " — 'gemma3' is the multimodal Gemma 3"
                    + " (Gemma3ForConditionalGeneration, 4B and up), whose text decoder sits under a language_model"
                    + " prefix beside a vision tower; dpo4j refuses it and tunes text-only decoders: use a"
                    + " gemma3_text checkpoint (e.g. google/gemma-3-1b-it) or one converted to Gemma3ForCausalLM"
                    : "";
            throw new ModelConfigException(source + ": unsupported model_type '" + typeName + "' (supported: "
                    + ModelType.supportedList() + ")" + hint);
        }
        int vocab = f.requiredInt("vocab_size");
        int hidden = f.requiredInt("hidden_size");
        int intermediate = f.requiredInt("intermediate_size");
        int layers = f.requiredInt("num_hidden_layers");
        int heads = f.requiredInt("num_attention_heads");
        int kvHeads = f.optInt("num_key_value_heads", heads);
        int defaultHeadDim = type.isGemma() ? 256 : type == ModelType.QWEN3 ? 128 : hidden / heads;
        int headDim = f.optInt("head_dim", defaultHeadDim);
        if (kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelConfigException(source + ": field 'num_key_value_heads' = " + kvHeads
                    + " must divide num_attention_heads = " + heads);
        }
        if (headDim % 2 != 0) {
            throw new ModelConfigException(source + ": field 'head_dim' = " + headDim + " must be even for RoPE");
        }
        if (type == ModelType.GEMMA3_TEXT && f.optBool("use_bidirectional_attention", false)) {
            throw new ModelConfigException(source + ": field 'use_bidirectional_attention' is true (an embedding"
                    + " model such as EmbeddingGemma); dpo4j tunes causal decoders only");
        }
        double eps = f.optDouble("rms_norm_eps", type == ModelType.PHI3 ? 1e-5 : 1e-6);
        boolean tie = f.optBool("tie_word_embeddings", type.isGemma());
        int maxPos = f.optInt("max_position_embeddings", defaultMaxPositions(type));

        String actName = type.isGemma()
                ? f.string("hidden_activation", f.string("hidden_act", "gelu_pytorch_tanh"))
                : f.string("hidden_act", "silu");
        if (type.isGemma() && "gelu".equals(actName)) {
            // transformers' Gemma always uses the tanh approximation for "gelu".
            actName = "gelu_pytorch_tanh";
        }
        HiddenActivation act = HiddenActivation.fromHfName(actName);
        if (act == null) {
            throw new ModelConfigException(source + ": unsupported activation '" + actName
                    + "' in field 'hidden_act' (supported: silu, gelu_pytorch_tanh, gelu_new, gelu)");
        }
        boolean attentionBias = type != ModelType.PHI3 && f.optBool("attention_bias", false);
        boolean qkvBias = type == ModelType.QWEN2 || attentionBias;
        boolean outputBias = type != ModelType.QWEN2 && attentionBias;
        boolean mlpBias = type == ModelType.LLAMA && f.optBool("mlp_bias", false);

        ConfigLayout layout = new ConfigLayout(root, source, type, layers, headDim, maxPos);
        int window = layout.slidingWindow();
        List<LayerType> layerTypes = layout.layerTypes(window);
        RopeParameters rope = layout.rope(LayerType.FULL);
        RopeParameters localRope = layout.rope(LayerType.SLIDING);

        double queryScalar = type.sandwichNorms() ? f.optDouble("query_pre_attn_scalar", 256) : headDim;
        double attnCap = f.nullableDouble("attn_logit_softcapping", type == ModelType.GEMMA2 ? 50.0 : 0);
        double finalCap = f.nullableDouble("final_logit_softcapping", type == ModelType.GEMMA2 ? 30.0 : 0);
        long bos = f.optLong("bos_token_id", -1);
        long[] eos = f.longList("eos_token_id");
        return new ModelConfig(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, eps, rope,
                localRope, tie, maxPos, act, qkvBias, outputBias, mlpBias, window, List.copyOf(layerTypes),
                queryScalar, attnCap, finalCap, bos, eos);
    }

    /** {@code max_position_embeddings} of each config class (read only by length-dependent RoPE). */
    private static int defaultMaxPositions(ModelType type) {
        return switch (type) {
            case LLAMA -> 2048;
            case MISTRAL, GEMMA3_TEXT -> 131072;
            case QWEN2, QWEN3 -> 32768;
            case GEMMA, GEMMA2 -> 8192;
            case PHI3 -> 4096;
        };
    }

    /** Typed, error-reporting access to a JSON object's fields. */
    record Fields(JsonNode node, String source) {
        String string(String name, String dflt) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? dflt : v.asText();
        }

        int requiredInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new ModelConfigException(source + ": missing required field '" + name + "'");
            }
            return checkedInt(name, v);
        }

        int optInt(String name, int dflt) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? dflt : checkedInt(name, v);
        }

        long optLong(String name, long dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (v.isArray()) {
                return v.isEmpty() ? dflt : v.get(0).asLong();
            }
            if (!v.canConvertToLong()) {
                throw new ModelConfigException(source + ": field '" + name + "' must be an integer, got " + v);
            }
            return v.asLong();
        }

        long[] longList(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return new long[0];
            }
            List<Long> out = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(e -> out.add(e.asLong()));
            } else if (v.canConvertToLong()) {
                out.add(v.asLong());
            } else {
                throw new ModelConfigException(source + ": field '" + name + "' must be an integer or a list");
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }

        double requiredDouble(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull() || !v.isNumber()) {
                throw new ModelConfigException(source + ": missing or non-numeric required field '" + name + "'");
            }
            return v.asDouble();
        }

        double optDouble(String name, double dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw new ModelConfigException(source + ": field '" + name + "' must be a number, got " + v);
            }
            return v.asDouble();
        }

        /** Absent: the default; an explicit {@code null}: 0 (none); else the number. */
        double nullableDouble(String name, double dflt) {
            if (!node.has(name)) {
                return dflt;
            }
            return node.get(name).isNull() ? 0 : optDouble(name, dflt);
        }

        boolean has(String name) {
            return node.has(name) && !node.get(name).isNull();
        }

        boolean optBool(String name, boolean dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new ModelConfigException(source + ": field '" + name + "' must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        private int checkedInt(String name, JsonNode v) {
            if (!v.isIntegralNumber() || v.asLong() <= 0 || v.asLong() > Integer.MAX_VALUE) {
                throw new ModelConfigException(source + ": field '" + name + "' must be a positive integer, got " + v);
            }
            return v.asInt();
        }
    }
}
