package dev.dpo4j.examples.bench;

import ai.djl.Device;
import dev.dpo4j.core.model.LoadOptions;

/**
 * What one {@link GenerationBenchmark} configuration runs.
 *
 * @param model a model directory ({@code config.json} + safetensors) or one of {@link RandomModel#NAMES}
 *     for random weights of a real model's shape
 * @param promptLength tokens in each prompt (default 32); prompts are random ids drawn from {@code seed}
 * @param newTokens tokens generated per prompt (default 64 for a directory, 32 for the random model);
 *     EOS does not stop generation, so every run produces exactly this many per prompt
 * @param batchSize prompts generated together in one call (default 1)
 * @param warmupRuns untimed runs of each mode before measuring (default 1), so JIT and libtorch's
 *     allocator are warm
 * @param measuredRuns timed runs of each mode (default 3); the reported rate is their median
 * @param seed seed of the prompt ids and of the random weights (default 42)
 * @param device where the model runs (default CPU)
 * @param load dtype and quantization (default float32)
 */
public record BenchmarkOptions(String model, int promptLength, int newTokens, int batchSize, int warmupRuns,
                               int measuredRuns, long seed, Device device, LoadOptions load) {

    /** Validates the values. */
    public BenchmarkOptions {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be a model directory or one of " + RandomModel.NAMES);
        }
        device = device == null ? Device.cpu() : device;
        load = load == null ? LoadOptions.FLOAT32 : load;
        if (promptLength < 1) {
            throw new IllegalArgumentException("prompt length must be >= 1, got " + promptLength);
        }
        if (newTokens < 1) {
            throw new IllegalArgumentException("new tokens must be >= 1, got " + newTokens);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("warm-up runs must be >= 0, got " + warmupRuns);
        }
        if (measuredRuns < 1) {
            throw new IllegalArgumentException("measured runs must be >= 1, got " + measuredRuns);
        }
    }

    /**
     * A builder with the defaults above.
     *
     * @param model a model directory or {@value RandomModel#NAME}
     * @return the builder
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** Builder of {@link BenchmarkOptions}. */
    public static final class Builder {
        private final String model;
        private int promptLength = 32;
        private Integer newTokens;
        private int batchSize = 1;
        private int warmupRuns = 1;
        private int measuredRuns = 3;
        private long seed = 42;
        private Device device = Device.cpu();
        private LoadOptions load = LoadOptions.FLOAT32;

        private Builder(String model) {
            this.model = model;
        }

        /** @param v tokens per prompt @return this */
        public Builder promptLength(int v) {
            promptLength = v;
            return this;
        }

        /** @param v tokens generated per prompt; {@code null} keeps the per-model default @return this */
        public Builder newTokens(Integer v) {
            newTokens = v;
            return this;
        }

        /** @param v prompts per call @return this */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** @param v untimed runs per mode @return this */
        public Builder warmupRuns(int v) {
            warmupRuns = v;
            return this;
        }

        /** @param v timed runs per mode @return this */
        public Builder measuredRuns(int v) {
            measuredRuns = v;
            return this;
        }

        /** @param v seed of prompts and random weights @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v where the model runs @return this */
        public Builder device(Device v) {
            device = v;
            return this;
        }

        /** @param v dtype and quantization @return this */
        public Builder load(LoadOptions v) {
            load = v;
            return this;
        }

        /** @return the validated options */
        public BenchmarkOptions build() {
            int tokens = newTokens != null ? newTokens : (RandomModel.isNamed(model) ? 32 : 64);
            return new BenchmarkOptions(model, promptLength, tokens, batchSize, warmupRuns, measuredRuns, seed, device,
                    load);
        }
    }
}
