package dev.dpo4j.data.synth;

import java.util.Comparator;
import java.util.List;

/**
 * {@link PairPolicy#BEST_VS_WORST}: one pair per article, the highest-scoring summary against the
 * lowest-scoring one, provided the best is at or above the threshold and the worst below it. Ties
 * go to the lower index; when the best and worst texts are identical the next-best combination
 * (best first, then worst first) is taken.
 */
final class BestVsWorstPairPolicy implements PairPolicy {

    @Override
    public String name() {
        return "best-vs-worst";
    }

    @Override
    public List<SummaryPair> select(String articleId, List<ScoredSummary> summaries, int threshold, long seed) {
        List<ScoredSummary> best = summaries.stream()
                .filter(s -> s.score() >= threshold)
                .sorted(Comparator.comparingInt(ScoredSummary::score).reversed()
                        .thenComparingInt(ScoredSummary::index))
                .toList();
        List<ScoredSummary> worst = summaries.stream()
                .filter(s -> s.score() < threshold)
                .sorted(Comparator.comparingInt(ScoredSummary::score).thenComparingInt(ScoredSummary::index))
                .toList();
        return SummaryPair.firstDistinct(best, worst);
    }

    @Override
    public String toString() {
        return name();
    }
}
