package dev.dpo4j.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedTestsTest {

    @Test
    void signTestMatchesHandComputedBinomialTails() {
        // 9 wins, 1 loss: P(X ≤ 1) for Bin(10, ½) = (C(10,0) + C(10,1)) / 2^10 = 11/1024; two-sided ×2.
        assertEquals(2.0 * 11 / 1024, PairedTests.signTestPValue(9, 1), 1e-15);
        assertEquals(0.021484375, PairedTests.signTestPValue(1, 9), 1e-15);
        // 10–0: 2 · 1/1024.
        assertEquals(0.001953125, PairedTests.signTestPValue(10, 0), 1e-15);
        // 3–1: 2 · (1 + 4)/16 = 0.625.
        assertEquals(0.625, PairedTests.signTestPValue(3, 1), 1e-15);
        // An even split, or nothing decided, is no evidence at all.
        assertEquals(1.0, PairedTests.signTestPValue(5, 5));
        assertEquals(1.0, PairedTests.signTestPValue(0, 0));
    }

    @Test
    void signTestForLargeCountsMatchesExactBigIntegerTail() {
        // 100 wins, 60 losses (n = 160 takes the log-space path): compare with the exact
        // 2·Σ_{i≤60} C(160, i) / 2^160 computed here with BigInteger.
        int n = 160;
        BigInteger total = BigInteger.ZERO;
        BigInteger c = BigInteger.ONE;
        for (int i = 0; i <= 60; i++) {
            total = total.add(c);
            c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        double expected = new BigDecimal(total.shiftLeft(1))
                .divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL64).doubleValue();
        assertEquals(expected, PairedTests.signTestPValue(100, 60), expected * 1e-9);
        assertTrue(expected < 0.003 && expected > 0.001, "sanity: " + expected);
    }

    @Test
    void signFlipEnumeratesSmallSamplesExactly() {
        // Differences (1, 2, 3) plus one zero (a zero never changes under a flip). The 8 sign
        // patterns give sums ±6, ±4, ±2, 0, 0; only ±6 reach |6|, so p = 2/8.
        double[] a = {1, 2, 3, 5};
        double[] b = {0, 0, 0, 5};
        assertEquals(0.25, PairedTests.signFlipPValue(a, b, 1000, 1), 1e-15);
        // (4, 1, 1, 1): sum 7; every other pattern is at most 4+1+1−1 = 5, so p = 2/16.
        assertEquals(0.125, PairedTests.signFlipPValue(new double[] {4, 1, 1, 1}, new double[4], 1000, 1), 1e-15);
        // (1, 1, −1): |sum| = 1 and every pattern of three ±1 has an odd |sum| ≥ 1, so p = 1.
        assertEquals(1.0, PairedTests.signFlipPValue(new double[] {1, 1, -1}, new double[3], 1000, 1), 1e-15);
    }

    @Test
    void signFlipCountsFloatingPointTiesAsExtreme() {
        // (0.1, 0.2, 0.3) is (1, 2, 3)/10: p must again be 2/8 despite rounding in the sums.
        double[] a = {0.1, 0.2, 0.3};
        assertEquals(0.25, PairedTests.signFlipPValue(a, new double[3], 1000, 1), 1e-15);
    }

    @Test
    void signFlipExactAtTheLimitOfTwentyDifferences() {
        // 20 equal differences: only the all-plus and all-minus patterns reach |20|, p = 2/2^20.
        double[] a = new double[20];
        java.util.Arrays.fill(a, 1.0);
        assertEquals(2.0 / (1 << 20), PairedTests.signFlipPValue(a, new double[20], 1000, 1), 1e-18);
    }

    @Test
    void signFlipMonteCarloAgreesWithTheBinomialNull() {
        // 21 differences, 15 of +1 and 6 of −1: the flipped sum is 2K − 21 with K ~ Bin(21, ½);
        // |2K − 21| ≥ 9 ⇔ K ≤ 6 or K ≥ 15, so p = 2·Σ_{i≤6} C(21, i)/2^21
        // = 2·(1+21+210+1330+5985+20349+54264)/2097152 = 2·82160/2097152 ≈ 0.07835.
        double[] a = new double[21];
        for (int i = 0; i < 21; i++) {
            a[i] = i < 15 ? 1 : -1;
        }
        double p = PairedTests.signFlipPValue(a, new double[21], 20_000, 9);
        assertEquals(2.0 * 82160 / 2097152, p, 0.01);
        // 11 of +1 and 10 of −1: every flipped sum is odd, so always ≥ 1 = |observed|: p = 1.
        double[] balanced = new double[21];
        for (int i = 0; i < 21; i++) {
            balanced[i] = i < 11 ? 1 : -1;
        }
        assertEquals(1.0, PairedTests.signFlipPValue(balanced, new double[21], 500, 9), 1e-15);
    }

    @Test
    void signFlipSeparatesShiftedFromNullSamples() {
        Random random = new Random(3);
        int n = 200;
        double[] shifted = new double[n];
        double[] nullA = new double[n];
        double[] base = new double[n];
        for (int i = 0; i < n; i++) {
            base[i] = random.nextGaussian();
            shifted[i] = base[i] + 0.5 + 0.5 * random.nextGaussian();
            nullA[i] = base[i] + 0.5 * random.nextGaussian();
        }
        // Shift 0.5 with noise sd 0.5 over 200 items is a z of about 14: p is the floor 1/10001.
        assertTrue(PairedTests.signFlipPValue(shifted, base, 10_000, 1) < 0.001);
        assertTrue(PairedTests.signFlipPValue(nullA, base, 10_000, 1) > 0.05);
    }

    @Test
    void signFlipWithoutDifferencesIsOne() {
        double[] a = {1, 2, 3};
        assertEquals(1.0, PairedTests.signFlipPValue(a, a.clone(), 100, 1));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> PairedTests.signTestPValue(-1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> PairedTests.signFlipPValue(new double[2], new double[3], 10, 1));
        assertThrows(IllegalArgumentException.class,
                () -> PairedTests.signFlipPValue(new double[2], new double[2], 0, 1));
    }
}
