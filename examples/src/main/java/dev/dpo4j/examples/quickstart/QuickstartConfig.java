package dev.dpo4j.examples.quickstart;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of {@code dpo4j quickstart}. {@link #defaults(Path)} is the run the README describes
 * (under 8 minutes on 2 CPU cores); {@link #small(Path)} is a smaller one with the same base.
 *
 * @param outputDir where everything goes: data/, model/, synth/, dpo/, eval/
 * @param sftArticles articles the tiny model is trained on from scratch (highlights as targets)
 * @param faultyRate share of those articles whose highlights are vague (the second sentence, with two or
 *     three of the five facts, replaced by a sentence stating none, as lazy real references are): the
 *     SFT base learns to write that way at about this rate, and DPO on QA-judged pairs is to unlearn it
 * @param pairArticles articles the base model writes candidate summaries for (the DPO data)
 * @param evalArticles held-out articles base and tuned model are compared on
 * @param hiddenSize the tiny Llama's width (4 layers of attention heads of 16)
 * @param layers its number of decoder layers
 * @param sftSteps optimizer steps of the from-scratch training
 * @param sftBatchSize examples per step
 * @param sftLearningRate its peak learning rate (cosine schedule, 5 % warmup)
 * @param candidates summaries sampled per article for the pairs
 * @param sampleTemperature sampling temperature of the candidates
 * @param goodScore the lowest QA score (questions answered, of 5) of a candidate that may be chosen; a pair is
 *     the article's best candidate at or above it against its worst below it. 4: a vague summary answers 2 or 3
 *     of the 5 questions and a complete one 4 or 5, so every article with both kinds of candidate gives a pair
 * @param dpoEpochs passes over the pairs
 * @param dpoLearningRate DPO's learning rate for the LoRA weights
 * @param beta DPO's beta. 1, not TRL's 0.1: the sigmoid loss stops pushing a pair once beta times its log-ratio
 *     margin is a few units; at 0.1 it never gets there in these steps (final loss 0.37 against 0.03), keeps
 *     pushing the rejected summaries down (log-prob -10.5 against -6.7), the mass taken from them spreads to
 *     words neither summary has, and the tuned model garbles its second sentence on about one held-out article
 *     in ten (docs/quickstart.md)
 * @param evalTemperature sampling temperature of the evaluation (0 = greedy)
 * @param seed seed of the corpus, the initial weights, the sampling and the data order
 */
public record QuickstartConfig(Path outputDir, int sftArticles, double faultyRate, int pairArticles, int evalArticles, int hiddenSize,
                               int layers, int sftSteps, int sftBatchSize, double sftLearningRate, int candidates,
                               double sampleTemperature, int goodScore, int dpoEpochs, double dpoLearningRate, double beta,
                               double evalTemperature, long seed) {

    /** Validates every field once. */
    public QuickstartConfig {
        Objects.requireNonNull(outputDir, "outputDir");
        positive("sft_articles", sftArticles);
        if (!(faultyRate >= 0 && faultyRate <= 1)) {
            throw new IllegalArgumentException("faulty_rate must be in [0, 1], got " + faultyRate);
        }
        positive("pair_articles", pairArticles);
        if (evalArticles < 2) {
            throw new IllegalArgumentException("eval_articles must be >= 2 for a confidence interval, got " + evalArticles);
        }
        if (hiddenSize < 16 || hiddenSize % 16 != 0) {
            throw new IllegalArgumentException("hidden_size must be a positive multiple of 16, got " + hiddenSize);
        }
        positive("layers", layers);
        positive("sft_steps", sftSteps);
        positive("sft_batch_size", sftBatchSize);
        if (candidates < 2) {
            throw new IllegalArgumentException("candidates must be >= 2 to make pairs, got " + candidates);
        }
        positive("good_score", goodScore);
        positive("dpo_epochs", dpoEpochs);
        if (!(sftLearningRate > 0) || !(dpoLearningRate > 0) || !(beta > 0)) {
            throw new IllegalArgumentException("learning rates and beta must be > 0");
        }
        if (sampleTemperature < 0 || evalTemperature < 0) {
            throw new IllegalArgumentException("temperatures must be >= 0");
        }
    }

    /**
     * The README's run: 3,000 articles to learn from (30 % with a vague highlight), 600 for pairs,
     * 300 held out.
     *
     * @param outputDir the run directory
     * @return the settings
     */
    public static QuickstartConfig defaults(Path outputDir) {
        return new QuickstartConfig(outputDir, 3000, 0.3, 600, 300, 64, 2, 3000, 16, 3e-2, 4, 1.0, 4, 3, 2e-3, 1.0, 1.0, 42);
    }

    /**
     * The smaller run the test makes (about 6 minutes on 2 cores, 5 of them the SFT): the same base model as
     * {@link #defaults(Path)} (same articles, steps and seed), half the pair articles and half the
     * held-out articles. DPO's gain must show here too: the test asserts the paired difference's 95 %
     * interval is above zero and the pairwise adjusted win rate's above 0.5, which held on seeds 1-10 with
     * room (docs/quickstart.md).
     *
     * @param outputDir the run directory
     * @return the settings
     */
    public static QuickstartConfig small(Path outputDir) {
        return new QuickstartConfig(outputDir, 3000, 0.3, 300, 150, 64, 2, 3000, 16, 3e-2, 4, 1.0, 4, 3, 2e-3, 1.0, 1.0, 42);
    }

    /**
     * The same run with another seed.
     *
     * @param value the seed
     * @return a copy
     */
    public QuickstartConfig withSeed(long value) {
        return new QuickstartConfig(outputDir, sftArticles, faultyRate, pairArticles, evalArticles, hiddenSize, layers, sftSteps,
                sftBatchSize, sftLearningRate, candidates, sampleTemperature, goodScore, dpoEpochs, dpoLearningRate, beta,
                evalTemperature, value);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
