package dev.dpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.model.WeightNames;
import dev.dpo4j.core.model.WeightSource;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Random-weight decoders of real models' shapes, for benchmarks: nothing is read from disk or the
 * network, and the cost of every op is that of the real model; only the tokens differ.
 *
 * <p>{@link #NAMES} are built by {@link #build} with any dtype or quantized base, tensor by tensor as a
 * checkpoint is loaded: SmolLM2-135M, Qwen2.5-0.5B (494M parameters, vocab 151936, tied), TinyLlama-1.1B
 * (the "~1B" shape of the memory benchmark) and Llama-3-8B (llama3 RoPE scaling, untied). Values are
 * uniform with standard deviation 0.02 (transformers' {@code initializer_range}), norm weights 1.
 *
 * <p>{@link #smolLm2Shaped} and {@link #of} keep the original float32 path (N(0, 0.02²) from libtorch's
 * seeded generator), which the quickstart's from-scratch model depends on for its exact weights.
 */
public final class RandomModel {
    /** The name that selects this model in {@link BenchmarkOptions#model()}. */
    public static final String NAME = "smollm2-135m-random";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A uniform distribution on ±a has standard deviation a/√3; a = 0.02·√3 gives transformers' 0.02. */
    private static final float UNIFORM_HALF_WIDTH = (float) (0.02 * Math.sqrt(3));

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
     * The random-weight shapes the benchmarks know by name: SmolLM2-135M, Qwen2.5-0.5B, Qwen3-0.6B,
     * TinyLlama-1.1B, Llama-3-8B.
     */
    public static final List<String> NAMES = List.of(NAME, "qwen2.5-0.5b-random", "qwen3-0.6b-random",
            "tinyllama-1.1b-random", "llama3-8b-random");

    /**
     * Whether a name selects a random-weight shape rather than a model directory.
     *
     * @param name a {@code --model} value
     * @return true for one of {@link #NAMES}
     */
    public static boolean isNamed(String name) {
        return NAMES.contains(name);
    }

    /**
     * The config of a named shape, with the fields of the real model's {@code config.json} that fix the
     * compute (the same as ../shared/gpu/reference/make_model.py for Qwen2.5-0.5B and Llama-3-8B).
     *
     * @param name one of {@link #NAMES}
     * @return the config
     * @throws IllegalArgumentException for another name, listing the known ones
     */
    public static ModelConfig config(String name) {
        ObjectNode c = JSON.createObjectNode();
        switch (name) {
            case NAME -> {
                return smolLm2Config();
            }
            case "qwen2.5-0.5b-random" -> {
                c.put("model_type", "qwen2");
                c.put("vocab_size", 151936);
                c.put("hidden_size", 896);
                c.put("intermediate_size", 4864);
                c.put("num_hidden_layers", 24);
                c.put("num_attention_heads", 14);
                c.put("num_key_value_heads", 2);
                c.put("rope_theta", 1000000.0);
                c.put("rms_norm_eps", 1e-6);
                c.put("tie_word_embeddings", true);
                c.put("max_position_embeddings", 32768);
            }
            case "qwen3-0.6b-random" -> {
                // Qwen/Qwen3-0.6B: head_dim 128 > hidden/heads, q/k norms, tied, in transformers 5's layout.
                c.put("model_type", "qwen3");
                c.put("vocab_size", 151936);
                c.put("hidden_size", 1024);
                c.put("intermediate_size", 3072);
                c.put("num_hidden_layers", 28);
                c.put("num_attention_heads", 16);
                c.put("num_key_value_heads", 8);
                c.put("head_dim", 128);
                c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 1000000.0);
                c.put("rms_norm_eps", 1e-6);
                c.put("tie_word_embeddings", true);
                c.put("max_position_embeddings", 40960);
            }
            case "tinyllama-1.1b-random" -> {
                c.put("model_type", "llama");
                c.put("vocab_size", 32000);
                c.put("hidden_size", 2048);
                c.put("intermediate_size", 5632);
                c.put("num_hidden_layers", 22);
                c.put("num_attention_heads", 32);
                c.put("num_key_value_heads", 4);
                c.put("rope_theta", 10000.0);
                c.put("rms_norm_eps", 1e-5);
                c.put("tie_word_embeddings", false);
                c.put("max_position_embeddings", 2048);
            }
            case "llama3-8b-random" -> {
                c.put("model_type", "llama");
                c.put("vocab_size", 128256);
                c.put("hidden_size", 4096);
                c.put("intermediate_size", 14336);
                c.put("num_hidden_layers", 32);
                c.put("num_attention_heads", 32);
                c.put("num_key_value_heads", 8);
                c.put("rope_theta", 500000.0);
                c.put("rms_norm_eps", 1e-5);
                c.put("tie_word_embeddings", false);
                c.put("max_position_embeddings", 131072);
                ObjectNode rope = c.putObject("rope_scaling");
                rope.put("rope_type", "llama3");
                rope.put("factor", 8.0);
                rope.put("low_freq_factor", 1.0);
                rope.put("high_freq_factor", 4.0);
                rope.put("original_max_position_embeddings", 8192);
            }
            default -> throw new IllegalArgumentException("unknown random model '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        }
        c.put("hidden_act", "silu");
        return ModelConfig.parse(c, name + " (built-in config)");
    }

    /**
     * Builds a named shape with random weights placed as {@code options} say (dtype, quantized base), tensor
     * by tensor as a checkpoint is loaded, so the peak memory is that of loading the real model. Values are
     * uniform with standard deviation 0.02 (norm weights 1), from a counter-based generator: each value
     * depends only on the seed, the tensor name and its index, so chunked and whole reads agree and the
     * generation runs in parallel (an 8B model's 8·10⁹ values in seconds).
     *
     * @param name one of {@link #NAMES}
     * @param device CPU or GPU
     * @param options dtype and quantization
     * @param seed the seed
     * @return the model
     */
    public static DecoderModel build(String name, Device device, LoadOptions options, long seed) {
        return DecoderModel.build(config(name), device, options, source(seed));
    }

    /**
     * A model directory, or one of {@link RandomModel#NAMES} built with random weights.
     *
     * @param model the {@code --model} value
     * @param device where it runs
     * @param options dtype and quantization
     * @param seed seed of random weights
     * @return the model
     */
    public static DecoderModel open(String model, Device device, LoadOptions options, long seed) {
        if (isNamed(model)) {
            return build(model, device, options, seed);
        }
        Path dir = Path.of(model);
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("model '" + model + "' is neither a directory with a config.json nor one"
                    + " of " + String.join(", ", NAMES));
        }
        return DecoderModel.load(dir, device, options);
    }

    /**
     * The random values {@link #build} places.
     *
     * @param seed the seed
     * @return a source of float32 values
     */
    public static WeightSource source(long seed) {
        return (name, first, count, dst) -> {
            boolean norm = name.endsWith("norm.weight");
            long tensorSeed = mix(seed * 0x9E3779B97F4A7C15L + name.hashCode());
            FloatBuffer out = dst.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            int tasks = Math.max(1, count / (1 << 16));
            IntStream.range(0, tasks).parallel().forEach(t -> {
                int from = (int) ((long) count * t / tasks);
                int to = (int) ((long) count * (t + 1) / tasks);
                for (int i = from; i < to; i++) {
                    if (norm) {
                        out.put(i, 1f);
                    } else {
                        long bits = mix(tensorSeed + first + i) >>> 40; // 24 random bits
                        out.put(i, (bits * (1f / (1 << 24)) * 2f - 1f) * UNIFORM_HALF_WIDTH);
                    }
                }
            });
            dst.position(dst.position() + count * Float.BYTES);
        };
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of a counter. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
