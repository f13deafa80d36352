package dev.dpo4j.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistributionTest {

    @Test
    void countsScoresAndSharesAboveThreshold() {
        // Scores 0,1,1,3,5,5 over 0..5: counts [1,2,0,1,0,2]; three of six are ≥ 3.
        Distribution d = Distribution.of(new int[] {0, 1, 1, 3, 5, 5}, 5);
        assertArrayEquals(new long[] {1, 2, 0, 1, 0, 2}, d.counts());
        assertEquals(6, d.total());
        assertEquals(5, d.max());
        assertEquals(0.5, d.share(3));
        assertEquals(1.0, d.share(0));
        assertEquals(2.0 / 6, d.share(4));
        assertEquals(0.0, d.share(6));
    }

    @Test
    void emptyDistributionHasUndefinedShare() {
        assertTrue(Double.isNaN(Distribution.of(new int[0], 5).share(3)));
    }

    @Test
    void isImmutableAndComparesByContent() {
        long[] counts = {1, 2};
        Distribution d = new Distribution(counts);
        counts[0] = 9;
        d.counts()[1] = 9;
        assertArrayEquals(new long[] {1, 2}, d.counts());
        assertEquals(new Distribution(new long[] {1, 2}), d);
        assertEquals(new Distribution(new long[] {1, 2}).hashCode(), d.hashCode());
    }

    @Test
    void jsonRoundTrip() {
        Distribution d = new Distribution(new long[] {0, 3, 4, 1});
        assertEquals("[0,3,4,1]", d.toJson().toString());
        assertEquals(d, Distribution.fromJson(d.toJson()));
    }

    @Test
    void rejectsScoresOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Distribution.of(new int[] {1, 6}, 5));
        assertTrue(e.getMessage().contains("score[1] = 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Distribution.of(new int[] {-1}, 5));
    }
}
