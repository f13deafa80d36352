package dev.dpo4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LengthStatsTest {

    @Test
    void nearestRankPercentiles() {
        // Values 1..200 shuffled: nearest rank of p over n = 200 is ceil(p * 2), so p50 is the
        // 100th smallest (100), p90 the 180th (180), p99 the 198th (198); mean = 201 / 2.
        int[] values = new int[210];
        for (int i = 0; i < 200; i++) {
            values[i] = ((i * 77) % 200) + 1;
        }
        values[205] = 99_999; // beyond size: must be ignored
        LengthStats s = LengthStats.of(values, 200);
        assertEquals(200, s.count());
        assertEquals(100, s.p50());
        assertEquals(180, s.p90());
        assertEquals(198, s.p99());
        assertEquals(200, s.max());
        assertEquals(100.5, s.mean(), 1e-12);
    }

    @Test
    void singleAndNoValues() {
        LengthStats one = LengthStats.of(new int[] {7}, 1);
        assertEquals(7, one.p50());
        assertEquals(7, one.p99());
        assertEquals(LengthStats.EMPTY, LengthStats.of(new int[0], 0));
    }
}
