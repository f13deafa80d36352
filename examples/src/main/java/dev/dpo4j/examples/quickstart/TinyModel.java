package dev.dpo4j.examples.quickstart;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import dev.dpo4j.examples.bench.RandomModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quickstart's model: a Llama-architecture decoder small enough to train from scratch on two
 * CPU cores, written as an ordinary Hugging Face folder ({@code config.json},
 * {@code model.safetensors}, the tokenizer files) that every dpo4j command and Transformers load.
 */
final class TinyModel {
    /** Attention head width. */
    static final int HEAD_DIM = 16;
    /** Longest sequence: prompt (about 85 words) plus summary, with room to spare. */
    static final int MAX_POSITIONS = 512;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyModel() {
    }

    /**
     * The model's {@code config.json} content.
     *
     * @param vocabSize the tokenizer's size
     * @param hidden the width
     * @param layers decoder layers
     * @return the config, Hugging Face keys
     */
    static ObjectNode configJson(int vocabSize, int hidden, int layers) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", hidden);
        c.put("intermediate_size", hidden * 3);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", hidden / HEAD_DIM);
        c.put("num_key_value_heads", hidden / HEAD_DIM);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("tie_word_embeddings", true);
        c.put("max_position_embeddings", MAX_POSITIONS);
        c.put("hidden_act", "silu");
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("pad_token_id", 3);
        c.put("torch_dtype", "float32");
        return c;
    }

    /**
     * A freshly initialised model (N(0, 0.02²) matrices, unit norm weights).
     *
     * @param config the config from {@link #configJson}
     * @param seed the initialisation seed
     * @return the model
     */
    static DecoderModel initialise(ObjectNode config, long seed) {
        return RandomModel.of(ModelConfig.parse(config, "quickstart model"), seed);
    }

    /**
     * Writes the weights and the config into a model folder.
     *
     * @param model the trained model
     * @param config its config
     * @param dir the folder (the tokenizer files are written separately)
     * @throws IOException if a file cannot be written
     */
    static void save(DecoderModel model, ObjectNode config, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray p = e.getValue();
            tensors.put(e.getKey(), WritableTensor.of(DType.F32, p.getShape().getShape(), p.toFloatArray()));
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, SafetensorsWriter.PT_METADATA);
        Files.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    }
}
