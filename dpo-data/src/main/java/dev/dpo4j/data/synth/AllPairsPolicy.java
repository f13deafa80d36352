package dev.dpo4j.data.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link PairPolicy#ALL_PAIRS}: every summary at or above the threshold against every summary
 * below it (except identical texts), ordered by chosen index, then rejected index. With g good and
 * b bad summaries of distinct text an article gives g·b pairs.
 */
final class AllPairsPolicy implements PairPolicy {

    @Override
    public String name() {
        return "all-pairs";
    }

    @Override
    public List<SummaryPair> select(String articleId, List<ScoredSummary> summaries, int threshold, long seed) {
        List<ScoredSummary> sorted = summaries.stream().sorted(Comparator.comparingInt(ScoredSummary::index)).toList();
        List<SummaryPair> pairs = new ArrayList<>();
        for (ScoredSummary chosen : sorted) {
            if (chosen.score() < threshold) {
                continue;
            }
            for (ScoredSummary rejected : sorted) {
                if (rejected.score() < threshold && !chosen.text().equals(rejected.text())) {
                    pairs.add(SummaryPair.of(chosen, rejected));
                }
            }
        }
        return pairs;
    }

    @Override
    public String toString() {
        return name();
    }
}
