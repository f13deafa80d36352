package dev.dpo4j.data.synth;

import java.util.List;
import java.util.Locale;

/**
 * Turns one article's scored summaries into preference pairs. A summary is "good" when its score
 * is at or above the threshold and "bad" below it; every pair has a good chosen and a bad
 * rejected summary, and two summaries with identical text never form a pair (the model could not
 * learn anything from it). An article whose summaries are all good or all bad has no pair.
 *
 * <p>The llmforge recipe this follows (chosen at or above 3 of 5, rejected below) is
 * {@link #THRESHOLD}; {@link #BEST_VS_WORST} takes the widest margin; {@link #ALL_PAIRS} uses
 * every good/bad combination, as Starling/UltraFeedback-style binarization does with all pairs.
 * Implementations are deterministic: the same input, threshold and seed give the same pairs.
 */
public interface PairPolicy {

    /** One pair per article: a good and a bad summary drawn at random, seeded by the article id. */
    PairPolicy THRESHOLD = new ThresholdPairPolicy();

    /** One pair per article: the best summary (if good) against the worst (if bad). */
    PairPolicy BEST_VS_WORST = new BestVsWorstPairPolicy();

    /** Every good summary against every bad one. */
    PairPolicy ALL_PAIRS = new AllPairsPolicy();

    /**
     * The name used in config and metadata.
     *
     * @return {@code threshold}, {@code best-vs-worst} or {@code all-pairs}
     */
    String name();

    /**
     * Selects the pairs of one article.
     *
     * @param articleId the article's id (seeds random draws)
     * @param summaries the article's judged summaries, in any order
     * @param threshold the lowest score of a good summary
     * @param seed the run seed
     * @return the pairs, possibly empty, in a deterministic order
     */
    List<SummaryPair> select(String articleId, List<ScoredSummary> summaries, int threshold, long seed);

    /**
     * The policy with the given name.
     *
     * @param name {@code threshold}, {@code best-vs-worst} or {@code all-pairs} (case and
     *     {@code _}/{@code -} insensitive)
     * @return the policy
     * @throws IllegalArgumentException listing the known names
     */
    static PairPolicy parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (PairPolicy policy : List.of(THRESHOLD, BEST_VS_WORST, ALL_PAIRS)) {
            if (policy.name().equals(key)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown pair policy '" + name
                + "'; expected one of threshold, best-vs-worst, all-pairs");
    }
}
