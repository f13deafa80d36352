package dev.dpo4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a decoder, read from a Hugging Face {@code config.json}.
 *
 * <p>Field names follow the Java convention; the Hugging Face keys are given in each description so
 * they stay searchable. Defaults follow the transformers config classes of each {@code model_type}.
 *
 * @param modelType {@code model_type}
 * @param vocabSize {@code vocab_size} (required)
 * @param hiddenSize {@code hidden_size} (required)
 * @param intermediateSize {@code intermediate_size} (required): width of the gated MLP
 * @param numLayers {@code num_hidden_layers} (required)
 * @param numHeads {@code num_attention_heads} (required)
 * @param numKvHeads {@code num_key_value_heads}; default = numHeads (multi-head attention)
 * @param headDim {@code head_dim}; default hidden/heads (Gemma's config class defaults to 256)
 * @param rmsNormEps {@code rms_norm_eps}; default 1e-6
 * @param ropeTheta {@code rope_theta}; default 10000
 * @param ropeScaling {@code rope_scaling}; default none
 * @param tieWordEmbeddings {@code tie_word_embeddings}: LM head shares the embedding matrix
 * @param maxPositionEmbeddings {@code max_position_embeddings}
 * @param activation {@code hidden_act} (Gemma: {@code hidden_activation})
 * @param qkvBias q/k/v projections have a bias (Qwen2 always; Llama with {@code attention_bias})
 * @param outputBias o_proj has a bias (Llama/Mistral {@code attention_bias})
 * @param mlpBias {@code mlp_bias} (Llama): gate/up/down have a bias
 * @param slidingWindow {@code sliding_window} when it applies (Mistral; Qwen2 with
 *     {@code use_sliding_window}), else 0 = full attention
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
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        HiddenActivation activation,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        int slidingWindow,
        long bosTokenId,
        long[] eosTokenIds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Gemma normalises with {@code (1 + weight)} instead of {@code weight}. */
    public boolean normWeightPlusOne() {
        return modelType == ModelType.GEMMA;
    }

    /** Gemma multiplies the embeddings by {@code sqrt(hidden_size)}. */
    public boolean scaleEmbeddings() {
        return modelType == ModelType.GEMMA;
    }

    /** Query heads per key/value head (grouped-query attention group size). */
    public int groupSize() {
        return numHeads / numKvHeads;
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
            throw new ModelConfigException(source + ": unsupported model_type '" + typeName + "' (supported: "
                    + ModelType.supportedList() + ")");
        }
        int vocab = f.requiredInt("vocab_size");
        int hidden = f.requiredInt("hidden_size");
        int intermediate = f.requiredInt("intermediate_size");
        int layers = f.requiredInt("num_hidden_layers");
        int heads = f.requiredInt("num_attention_heads");
        int kvHeads = f.optInt("num_key_value_heads", heads);
        int defaultHeadDim = type == ModelType.GEMMA ? 256 : hidden / heads;
        int headDim = f.optInt("head_dim", defaultHeadDim);
        if (kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelConfigException(source + ": field 'num_key_value_heads' = " + kvHeads
                    + " must divide num_attention_heads = " + heads);
        }
        if (headDim % 2 != 0) {
            throw new ModelConfigException(source + ": field 'head_dim' = " + headDim + " must be even for RoPE");
        }
        double eps = f.optDouble("rms_norm_eps", 1e-6);
        double theta = f.optDouble("rope_theta", 10000.0);
        RopeScaling scaling = parseRopeScaling(root.get("rope_scaling"), source);
        boolean tieDefault = type == ModelType.GEMMA;
        boolean tie = f.optBool("tie_word_embeddings", tieDefault);
        int maxPos = f.optInt("max_position_embeddings", 2048);

        String actName = type == ModelType.GEMMA
                ? f.string("hidden_activation", "gelu_pytorch_tanh")
                : f.string("hidden_act", "silu");
        if (type == ModelType.GEMMA && "gelu".equals(actName)) {
            // transformers' Gemma always uses the tanh approximation for "gelu".
            actName = "gelu_pytorch_tanh";
        }
        HiddenActivation act = HiddenActivation.fromHfName(actName);
        if (act == null) {
            throw new ModelConfigException(source + ": unsupported activation '" + actName
                    + "' in field 'hidden_act' (supported: silu, gelu_pytorch_tanh, gelu_new, gelu)");
        }
        boolean attentionBias = f.optBool("attention_bias", false);
        boolean qkvBias = type == ModelType.QWEN2 || attentionBias;
        boolean outputBias = type != ModelType.QWEN2 && attentionBias;
        boolean mlpBias = f.optBool("mlp_bias", false);
        int window = 0;
        if (type == ModelType.MISTRAL) {
            window = f.optInt("sliding_window", 0);
        } else if (type == ModelType.QWEN2 && f.optBool("use_sliding_window", false)) {
            window = f.optInt("sliding_window", 0);
        }
        long bos = f.optLong("bos_token_id", -1);
        long[] eos = f.longList("eos_token_id");
        return new ModelConfig(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, eps, theta,
                scaling, tie, maxPos, act, qkvBias, outputBias, mlpBias, window, bos, eos);
    }

    private static RopeScaling parseRopeScaling(JsonNode node, String source) {
        if (node == null || node.isNull()) {
            return RopeScaling.NONE;
        }
        if (!node.isObject()) {
            throw new ModelConfigException(source + ": field 'rope_scaling' must be an object or null");
        }
        Fields f = new Fields(node, source + " (rope_scaling)");
        String type = f.string("rope_type", f.string("type", "default"));
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return new RopeScaling("linear", f.requiredDouble("factor"), 1, 4, 8192);
            case "llama3":
                return new RopeScaling("llama3", f.requiredDouble("factor"), f.requiredDouble("low_freq_factor"),
                        f.requiredDouble("high_freq_factor"), f.requiredDouble("original_max_position_embeddings"));
            default:
                throw new ModelConfigException(source + ": unsupported rope_scaling type '" + type
                        + "' in field 'rope_scaling.rope_type' (supported: default, linear, llama3)");
        }
    }

    /** Typed, error-reporting access to a JSON object's fields. */
    private record Fields(JsonNode node, String source) {
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
