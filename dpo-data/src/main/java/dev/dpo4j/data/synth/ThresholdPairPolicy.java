package dev.dpo4j.data.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * {@link PairPolicy#THRESHOLD}: one pair per article, the chosen summary drawn among those scoring
 * at or above the threshold and the rejected among those below, with a draw seeded by the run
 * seed and the article id (so a rerun draws the same pair). When the first draw pairs two
 * identical texts, the next combination in the shuffled order is taken.
 */
final class ThresholdPairPolicy implements PairPolicy {

    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public List<SummaryPair> select(String articleId, List<ScoredSummary> summaries, int threshold, long seed) {
        List<ScoredSummary> good = new ArrayList<>();
        List<ScoredSummary> bad = new ArrayList<>();
        summaries.stream().sorted(Comparator.comparingInt(ScoredSummary::index))
                .forEach(s -> (s.score() >= threshold ? good : bad).add(s));
        Random random = new Random(StableHash.of(Long.toString(seed), "pair", articleId));
        Collections.shuffle(good, random);
        Collections.shuffle(bad, random);
        return SummaryPair.firstDistinct(good, bad);
    }

    @Override
    public String toString() {
        return name();
    }
}
