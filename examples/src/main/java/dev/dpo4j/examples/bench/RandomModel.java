package dev.dpo4j.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.model.WeightNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A random-weight decoder with the shape of SmolLM2-135M (Llama architecture: hidden 576, 30 layers,
 * 9 query heads and 3 key/value heads of width 64, intermediate 1536, vocab 49152, tied embeddings,
 * {@code rope_theta} 100000, {@code rms_norm_eps} 1e-5), about 134.5 M parameters in float32.
 *
 * <p>Matrices are drawn from N(0, 0.02²) (transformers' {@code initializer_range}) and RMSNorm weights
 * are ones, so the cost of every op is that of the real model; only the tokens differ. Nothing is read
 * from disk or the network.
 */
public final class RandomModel {
    /** The name that selects this model in {@link BenchmarkOptions#model()}. */
    public static final String NAME = "smollm2-135m-random";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomModel() {
    }

    /**
     * The SmolLM2-135M {@code config.json} fields that fix the compute.
     *
     * @return the config
     */
    public static ModelConfig smolLm2Config() {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "llama");
        c.put("vocab_size", 49152);
        c.put("hidden_size", 576);
        c.put("intermediate_size", 1536);
        c.put("num_hidden_layers", 30);
        c.put("num_attention_heads", 9);
        c.put("num_key_value_heads", 3);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 100000.0);
        c.put("tie_word_embeddings", true);
        c.put("max_position_embeddings", 8192);
        c.put("hidden_act", "silu");
        c.put("bos_token_id", 0);
        c.put("eos_token_id", 0);
        return ModelConfig.parse(c, NAME + " (built-in config)");
    }

    /**
     * Builds the model with fresh random weights.
     *
     * @param seed seed of libtorch's generator, so two builds with one seed have the same weights
     * @return the model, owning its own base manager
     */
    public static DecoderModel smolLm2Shaped(long seed) {
        return of(smolLm2Config(), seed);
    }

    /**
     * Builds any config's model with random weights: N(0, 0.02²) matrices and biases, unit norm weights.
     *
     * @param config the architecture
     * @param seed seed of libtorch's generator
     * @return the model, owning its own base manager
     */
    public static DecoderModel of(ModelConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        NDManager manager = NDManager.newBaseManager();
        try {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : WeightNames.expected(config).entrySet()) {
                Shape shape = new Shape(e.getValue());
                boolean norm = e.getKey().endsWith("norm.weight");
                NDArray w = norm
                        ? manager.ones(shape, DataType.FLOAT32)
                        : manager.randomNormal(0f, 0.02f, shape, DataType.FLOAT32);
                params.put(e.getKey(), w);
            }
            return DecoderModel.of(config, manager, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
