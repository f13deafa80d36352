package dev.dpo4j.core.generate;

import java.util.List;

/**
 * How to generate, with the meaning and defaults of transformers' {@code GenerationConfig}.
 *
 * @param maxNewTokens {@code max_new_tokens}: most tokens generated per prompt (default 128)
 * @param temperature {@code temperature}: 0 = greedy (argmax); otherwise logits are divided by it
 *     before sampling (default 0)
 * @param topK {@code top_k}: sample among the k most likely tokens; 0 = off (default 0)
 * @param topP {@code top_p}: sample among the smallest set of most likely tokens whose probability
 *     reaches p; 1 = off (default 1)
 * @param seed random seed; each prompt gets its own stream derived from it, so a prompt's sample does
 *     not depend on the other prompts in the batch (default 0)
 * @param stopStrings stop when the decoded new text contains one of these (needs a decoder)
 * @param stopOnEos stop a row at an end-of-sequence id, which is kept in its output (default true)
 * @param useCache decode with the KV cache (default true); false recomputes the whole sequence per
 *     token, which gives the same tokens and exists for tests and benchmarks
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, double topP, long seed,
                               List<String> stopStrings, boolean stopOnEos, boolean useCache) {

    /** Validates the values. */
    public GenerationConfig {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
        }
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens with the cache. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return builder().maxNewTokens(maxNewTokens).build();
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when no sampling happens. */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** Builder of {@link GenerationConfig}. */
    public static final class Builder {
        private int maxNewTokens = 128;
        private double temperature;
        private int topK;
        private double topP = 1.0;
        private long seed;
        private List<String> stopStrings = List.of();
        private boolean stopOnEos = true;
        private boolean useCache = true;

        private Builder() {
        }

        /** @param v max_new_tokens @return this */
        public Builder maxNewTokens(int v) {
            maxNewTokens = v;
            return this;
        }

        /** @param v temperature, 0 = greedy @return this */
        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        /** @param v top_k, 0 = off @return this */
        public Builder topK(int v) {
            topK = v;
            return this;
        }

        /** @param v top_p in (0, 1] @return this */
        public Builder topP(double v) {
            topP = v;
            return this;
        }

        /** @param v seed @return this */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v stop strings @return this */
        public Builder stopStrings(List<String> v) {
            stopStrings = v;
            return this;
        }

        /** @param v stop at EOS @return this */
        public Builder stopOnEos(boolean v) {
            stopOnEos = v;
            return this;
        }

        /** @param v use the KV cache @return this */
        public Builder useCache(boolean v) {
            useCache = v;
            return this;
        }

        /** @return the validated config */
        public GenerationConfig build() {
            return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stopStrings, stopOnEos, useCache);
        }
    }
}
