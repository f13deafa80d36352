package dev.dpo4j.data.synth;

import java.util.Objects;

/**
 * Settings of a synthetic preference run. Defaults follow the llmforge summarization template:
 * 5 questions, 4 candidate summaries, chosen at or above 3 of 5.
 *
 * @param numQuestions questions per article (default 5); more questions give finer scores and
 *     longer judge prompts
 * @param numCandidates summaries sampled per article (default 4); more candidates give more
 *     articles with a pair, at one summary and one judge request each
 * @param threshold lowest score of a "good" summary (default 3), in 1..numQuestions
 * @param policy how pairs are formed (default {@link PairPolicy#THRESHOLD})
 * @param temperature the base model's sampling temperature (default 1.0; diverse candidates are
 *     what makes pairs)
 * @param topP the base model's nucleus mass, or null for the server default
 * @param maxTokens the most tokens per summary (default 256)
 * @param judgeTemperature the judge's temperature (default 0: the same questions and verdicts on
 *     a rerun)
 * @param judgeMaxTokens the most tokens per judge answer, or null for the server default
 * @param seed the run seed (default 42); every request's seed, the pair draws and the split derive
 *     from it and the article id
 * @param validFraction share of articles in {@code valid.jsonl} (default 0.1), split by a seeded
 *     hash of the article id so an article never moves between runs
 * @param chatFormat write prompt/chosen/rejected as chat messages (TRL conversational) instead of
 *     plain strings (default false)
 * @param judgeConcurrency judge requests in flight, or 0 for the judge model's
 *     {@code maxConcurrency()}
 * @param writerConcurrency base model requests in flight, or 0 for its {@code maxConcurrency()}
 * @param retryRejects ask again, on this run, the requests an earlier run rejected (default false)
 * @param prompts the prompt templates and schemas (default {@link SynthPrompts#defaults()})
 */
public record SynthConfig(int numQuestions, int numCandidates, int threshold, PairPolicy policy, double temperature,
        Double topP, int maxTokens, double judgeTemperature, Integer judgeMaxTokens, long seed, double validFraction,
        boolean chatFormat, int judgeConcurrency, int writerConcurrency, boolean retryRejects, SynthPrompts prompts) {

    /** Validates every field (see {@link Builder#build()}). */
    public SynthConfig {
        Objects.requireNonNull(policy, "SynthConfig.policy must not be null");
        Objects.requireNonNull(prompts, "SynthConfig.prompts must not be null");
        require(numQuestions >= 1, "numQuestions must be >= 1, got " + numQuestions);
        require(numCandidates >= 2, "numCandidates must be >= 2 (a pair needs two summaries), got " + numCandidates);
        require(threshold >= 1 && threshold <= numQuestions,
                "threshold must be in 1.." + numQuestions + " (numQuestions), got " + threshold);
        require(temperature >= 0 && Double.isFinite(temperature), "temperature must be >= 0, got " + temperature);
        require(topP == null || (topP > 0 && topP <= 1), "topP must be in (0, 1], got " + topP);
        require(maxTokens >= 1, "maxTokens must be >= 1, got " + maxTokens);
        require(judgeTemperature >= 0 && Double.isFinite(judgeTemperature),
                "judgeTemperature must be >= 0, got " + judgeTemperature);
        require(judgeMaxTokens == null || judgeMaxTokens >= 1, "judgeMaxTokens must be >= 1, got " + judgeMaxTokens);
        require(validFraction >= 0 && validFraction < 1, "validFraction must be in [0, 1), got " + validFraction);
        require(judgeConcurrency >= 0, "judgeConcurrency must be >= 0 (0 = the model's), got " + judgeConcurrency);
        require(writerConcurrency >= 0, "writerConcurrency must be >= 0 (0 = the model's), got " + writerConcurrency);
    }

    /**
     * The defaults.
     *
     * @return {@code builder().build()}
     */
    public static SynthConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("SynthConfig: " + message);
        }
    }

    /** Builds a {@link SynthConfig}; every setting is optional. */
    public static final class Builder {
        private int numQuestions = 5;
        private int numCandidates = 4;
        private int threshold = 3;
        private PairPolicy policy = PairPolicy.THRESHOLD;
        private double temperature = 1.0;
        private Double topP;
        private int maxTokens = 256;
        private double judgeTemperature = 0.0;
        private Integer judgeMaxTokens;
        private long seed = 42;
        private double validFraction = 0.1;
        private boolean chatFormat;
        private int judgeConcurrency;
        private int writerConcurrency;
        private boolean retryRejects;
        private SynthPrompts prompts;

        private Builder() {
        }

        /** @param v questions per article @return this builder */
        public Builder optNumQuestions(int v) {
            numQuestions = v;
            return this;
        }

        /** @param v summaries per article @return this builder */
        public Builder optNumCandidates(int v) {
            numCandidates = v;
            return this;
        }

        /** @param v lowest score of a good summary @return this builder */
        public Builder optThreshold(int v) {
            threshold = v;
            return this;
        }

        /** @param v the pair policy @return this builder */
        public Builder optPolicy(PairPolicy v) {
            policy = v;
            return this;
        }

        /** @param v the base model's temperature @return this builder */
        public Builder optTemperature(double v) {
            temperature = v;
            return this;
        }

        /** @param v the base model's top_p, or null for the server default @return this builder */
        public Builder optTopP(Double v) {
            topP = v;
            return this;
        }

        /** @param v the most tokens per summary @return this builder */
        public Builder optMaxTokens(int v) {
            maxTokens = v;
            return this;
        }

        /** @param v the judge's temperature @return this builder */
        public Builder optJudgeTemperature(double v) {
            judgeTemperature = v;
            return this;
        }

        /** @param v the most tokens per judge answer, or null @return this builder */
        public Builder optJudgeMaxTokens(Integer v) {
            judgeMaxTokens = v;
            return this;
        }

        /** @param v the run seed @return this builder */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** @param v the share of articles in valid.jsonl @return this builder */
        public Builder optValidFraction(double v) {
            validFraction = v;
            return this;
        }

        /** @param v true for chat-message rows @return this builder */
        public Builder optChatFormat(boolean v) {
            chatFormat = v;
            return this;
        }

        /** @param v judge requests in flight (0 = the model's) @return this builder */
        public Builder optJudgeConcurrency(int v) {
            judgeConcurrency = v;
            return this;
        }

        /** @param v base model requests in flight (0 = the model's) @return this builder */
        public Builder optWriterConcurrency(int v) {
            writerConcurrency = v;
            return this;
        }

        /** @param v ask earlier rejected requests again @return this builder */
        public Builder optRetryRejects(boolean v) {
            retryRejects = v;
            return this;
        }

        /** @param v the prompts (e.g. {@code SynthPrompts.defaults().withOverrides(dir)}) @return this builder */
        public Builder optPrompts(SynthPrompts v) {
            prompts = v;
            return this;
        }

        /**
         * @return the config
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SynthConfig build() {
            return new SynthConfig(numQuestions, numCandidates, threshold, policy, temperature, topP, maxTokens,
                    judgeTemperature, judgeMaxTokens, seed, validFraction, chatFormat, judgeConcurrency,
                    writerConcurrency, retryRejects, prompts == null ? SynthPrompts.defaults() : prompts);
        }
    }
}
