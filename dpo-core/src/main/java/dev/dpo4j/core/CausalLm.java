package dev.dpo4j.core;

import ai.djl.Device;
import dev.dpo4j.core.generate.Generator;
import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * A causal language model ready to use: the decoder, its tokenizer when the directory has one, and
 * its end-of-sequence ids. The entry point of the Java API:
 *
 * <pre>{@code
 * try (CausalLm lm = CausalLm.load("HuggingFaceTB/SmolLM2-135M")) {
 *     long[] prompt = lm.tokenizer().orElseThrow().encode("Once upon a time", true);
 *     Generation g = lm.generator().generate(List.of(prompt), GenerationConfig.greedy(50)).get(0);
 * }
 * }</pre>
 */
public final class CausalLm implements AutoCloseable {
    private final Path directory;
    private final DecoderModel model;
    private final Tokenizer tokenizer;

    private CausalLm(Path directory, DecoderModel model, Tokenizer tokenizer) {
        this.directory = directory;
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads a local directory or a Hub model ({@code org/name[@revision]}, fetched into the Hugging
     * Face cache unless already there) onto the CPU.
     *
     * @param refOrDirectory a model directory or Hub id
     * @return the model
     */
    public static CausalLm load(String refOrDirectory) {
        return load(refOrDirectory, Device.cpu());
    }

    /**
     * Loads a model onto a device.
     *
     * @param refOrDirectory a model directory or Hub id
     * @param device CPU or GPU
     * @return the model
     */
    public static CausalLm load(String refOrDirectory, Device device) {
        return load(refOrDirectory, device, LoadOptions.FLOAT32);
    }

    /**
     * Loads a model onto a device with a precision and, optionally, a quantized base.
     *
     * @param refOrDirectory a model directory or Hub id
     * @param device CPU or GPU
     * @param options dtype and quantization
     * @return the model
     */
    public static CausalLm load(String refOrDirectory, Device device, LoadOptions options) {
        Path dir = new HubClient(HubSettings.fromEnvironment(System.getenv())).resolveModel(refOrDirectory);
        return load(dir, device, options);
    }

    /**
     * Loads a local model directory.
     *
     * @param dir holds config.json, safetensors and optionally tokenizer files
     * @param device CPU or GPU
     * @return the model
     */
    public static CausalLm load(Path dir, Device device) {
        return load(dir, device, LoadOptions.FLOAT32);
    }

    /**
     * Loads a local model directory with a precision and, optionally, a quantized base.
     *
     * @param dir holds config.json, safetensors and optionally tokenizer files
     * @param device CPU or GPU
     * @param options dtype and quantization
     * @return the model
     */
    public static CausalLm load(Path dir, Device device, LoadOptions options) {
        DecoderModel model = DecoderModel.load(dir, device, options);
        try {
            Tokenizer tok = Files.isRegularFile(dir.resolve("tokenizer.json")) ? Tokenizer.load(dir) : null;
            return new CausalLm(dir, model, tok);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The local directory the model was read from. */
    public Path directory() {
        return directory;
    }

    /** The decoder. */
    public DecoderModel model() {
        return model;
    }

    /** The tokenizer, absent when the directory has no {@code tokenizer.json}. */
    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** End-of-sequence ids: the tokenizer's (with generation_config.json) and config.json's. */
    public long[] eosTokenIds() {
        LongStream ids = LongStream.of(model.config().eosTokenIds());
        if (tokenizer != null) {
            ids = LongStream.concat(ids, LongStream.of(tokenizer.eosTokenIds()));
        }
        return ids.distinct().toArray();
    }

    /** A generator that stops at this model's EOS ids and decodes stop strings with its tokenizer. */
    public Generator generator() {
        return new Generator(model, eosTokenIds(), tokenizer == null ? null : ids -> tokenizer.decode(ids, true));
    }

    /** A log-prob scorer over this model. */
    public LogProbScorer scorer() {
        return new LogProbScorer(model);
    }

    @Override
    public void close() {
        try {
            if (tokenizer != null) {
                tokenizer.close();
            }
        } finally {
            model.close();
        }
    }
}
