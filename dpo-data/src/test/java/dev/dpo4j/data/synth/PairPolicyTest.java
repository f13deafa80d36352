package dev.dpo4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three pair policies on hand-made score lists (threshold 3 of 5). */
class PairPolicyTest {

    // Scores 5, 1, 3, 0, 4: good = {k0, k2, k4}, bad = {k1, k3}.
    private static final List<ScoredSummary> MIXED = List.of(
            new ScoredSummary(0, "t0", 5), new ScoredSummary(1, "t1", 1), new ScoredSummary(2, "t2", 3),
            new ScoredSummary(3, "t3", 0), new ScoredSummary(4, "t4", 4));

    @Test
    void parsesNamesAndRejectsUnknownOnes() {
        assertSame(PairPolicy.THRESHOLD, PairPolicy.parse("threshold"));
        assertSame(PairPolicy.BEST_VS_WORST, PairPolicy.parse("Best_vs_Worst"));
        assertSame(PairPolicy.ALL_PAIRS, PairPolicy.parse("all-pairs"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairPolicy.parse("random"));
        assertTrue(e.getMessage().contains("threshold, best-vs-worst, all-pairs"));
    }

    @Test
    void thresholdDrawsOneValidPairSeededByArticle() {
        Set<String> drawn = new HashSet<>();
        for (int a = 0; a < 40; a++) {
            List<SummaryPair> pairs = PairPolicy.THRESHOLD.select("art" + a, MIXED, 3, 42);
            assertEquals(1, pairs.size());
            SummaryPair p = pairs.get(0);
            assertTrue(Set.of(0, 2, 4).contains(p.chosen()) && Set.of(1, 3).contains(p.rejected()), p.toString());
            assertEquals(pairs, PairPolicy.THRESHOLD.select("art" + a, reversed(MIXED), 3, 42), "order-independent");
            drawn.add(p.chosen() + ">" + p.rejected());
        }
        // 3 x 2 = 6 combinations; over 40 articles a seeded draw meets more than one of them.
        assertTrue(drawn.size() > 3, drawn.toString());
    }

    private static List<ScoredSummary> reversed(List<ScoredSummary> list) {
        List<ScoredSummary> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    @Test
    void bestVsWorstTakesTheExtremes() {
        assertEquals(List.of(new SummaryPair(0, 3, 5, 0)), PairPolicy.BEST_VS_WORST.select("a", MIXED, 3, 1));
        // Best below the threshold: no pair.
        assertEquals(List.of(), PairPolicy.BEST_VS_WORST.select("a",
                List.of(new ScoredSummary(0, "x", 2), new ScoredSummary(1, "y", 0)), 3, 1));
    }

    @Test
    void allPairsGivesEveryGoodBadCombination() {
        List<SummaryPair> pairs = PairPolicy.ALL_PAIRS.select("a", MIXED, 3, 1);
        // good {0, 2, 4} x bad {1, 3} = 6 pairs, by chosen then rejected index.
        assertEquals(List.of(new SummaryPair(0, 1, 5, 1), new SummaryPair(0, 3, 5, 0), new SummaryPair(2, 1, 3, 1),
                new SummaryPair(2, 3, 3, 0), new SummaryPair(4, 1, 4, 1), new SummaryPair(4, 3, 4, 0)), pairs);
    }

    @Test
    void identicalTextsNeverPair() {
        List<ScoredSummary> same = List.of(new ScoredSummary(0, "same", 5), new ScoredSummary(1, "same", 0),
                new ScoredSummary(2, "other", 1));
        for (PairPolicy policy : List.of(PairPolicy.THRESHOLD, PairPolicy.BEST_VS_WORST, PairPolicy.ALL_PAIRS)) {
            // Only k0 ("same", 5) vs k2 ("other", 1) is allowed.
            assertEquals(List.of(new SummaryPair(0, 2, 5, 1)), policy.select("a", same, 3, 9), policy.name());
            assertEquals(List.of(), policy.select("a", same.subList(0, 2), 3, 9), policy.name());
        }
    }

    @Test
    void allGoodOrAllBadGivesNoPair() {
        List<ScoredSummary> good = List.of(new ScoredSummary(0, "a", 3), new ScoredSummary(1, "b", 5));
        for (PairPolicy policy : List.of(PairPolicy.THRESHOLD, PairPolicy.BEST_VS_WORST, PairPolicy.ALL_PAIRS)) {
            assertEquals(List.of(), policy.select("a", good, 3, 9));
        }
    }
}
