package dev.dpo4j.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap is checked against the normal-theory interval: for a mean over n i.i.d.
 * items the 95% interval has width close to 2·1.96·sd/√n (sd = the sample standard
 * deviation), and with a fixed seed it must cover the true mean of the generator.
 */
class BootstrapTest {

    private static final int N = 2000;

    @Test
    void bernoulliMeanIntervalCoversTruthWithNormalTheoryWidth() {
        // 2,000 draws from Bernoulli(0.3): the interval should contain 0.3 and be about
        // 2·1.96·sqrt(p(1−p))/sqrt(n) = 3.92·0.458/44.7 ≈ 0.040 wide.
        Random random = new Random(7);
        boolean[] xs = new boolean[N];
        for (int i = 0; i < N; i++) {
            xs[i] = random.nextDouble() < 0.3;
        }
        Estimate e = Bootstrap.DEFAULT.proportion(xs);
        assertEquals(N, e.n());
        assertTrue(e.low() < 0.3 && 0.3 < e.high(), "interval " + e + " misses 0.3");
        double p = e.value();
        double expected = 2 * 1.96 * Math.sqrt(p * (1 - p)) / Math.sqrt(N);
        assertEquals(expected, e.high() - e.low(), 0.15 * expected, "interval " + e);
        assertTrue(e.low() <= e.value() && e.value() <= e.high());
    }

    @Test
    void normalMeanIntervalCoversTruthWithNormalTheoryWidth() {
        // N(5, 2²): the interval should contain 5, width ≈ 3.92·s/√n with s the sample sd.
        Random random = new Random(11);
        double[] xs = new double[N];
        for (int i = 0; i < N; i++) {
            xs[i] = 5 + 2 * random.nextGaussian();
        }
        Estimate e = Bootstrap.DEFAULT.mean(xs);
        double mean = 0;
        for (double x : xs) {
            mean += x / N;
        }
        assertEquals(mean, e.value(), 1e-12);
        assertTrue(e.low() < 5 && 5 < e.high(), "interval " + e + " misses 5");
        double expected = 2 * 1.96 * sampleSd(xs) / Math.sqrt(N);
        assertEquals(expected, e.high() - e.low(), 0.15 * expected, "interval " + e);
    }

    @Test
    void constantSampleHasZeroWidthInterval() {
        double[] xs = new double[50];
        java.util.Arrays.fill(xs, 4.0);
        Estimate e = Bootstrap.DEFAULT.mean(xs);
        assertEquals(4.0, e.value());
        assertEquals(4.0, e.low());
        assertEquals(4.0, e.high());
    }

    @Test
    void sameSeedGivesSameIntervalAndOtherSeedAnother() {
        // Continuous values: with integer data the percentiles often land on the same grid
        // point k/n for any seed, which would hide a seed that is not used.
        Random random = new Random(2);
        double[] xs = new double[30];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = random.nextGaussian();
        }
        Estimate first = new Bootstrap(5000, 3).mean(xs);
        Estimate again = new Bootstrap(5000, 3).mean(xs);
        Estimate other = new Bootstrap(5000, 4).mean(xs);
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertEquals(first.value(), other.value());
    }

    @Test
    void pairedDifferenceRecoversKnownShiftAndKeepsThePairing() {
        // b = a + 1 + noise(sd 0.5), items spread with sd 10: a − b = −1 + noise, so the paired
        // interval must contain −1 with width ≈ 3.92·0.5/√n ≈ 0.044. Resampling a and b
        // independently would give a width near 3.92·sqrt(2)·10/√n ≈ 1.24 instead.
        Random random = new Random(5);
        double[] a = new double[N];
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = 10 * random.nextGaussian();
            b[i] = a[i] + 1 + 0.5 * random.nextGaussian();
        }
        Estimate e = Bootstrap.DEFAULT.pairedMeanDifference(a, b);
        assertTrue(e.low() < -1 && -1 < e.high(), "interval " + e + " misses -1");
        double[] d = new double[N];
        for (int i = 0; i < N; i++) {
            d[i] = a[i] - b[i];
        }
        double expected = 2 * 1.96 * sampleSd(d) / Math.sqrt(N);
        assertEquals(expected, e.high() - e.low(), 0.15 * expected, "interval " + e);
    }

    @Test
    void proportionOfThirtyInHundred() {
        // 30 of 100: value 0.3 exactly, width ≈ 3.92·sqrt(0.21/100) ≈ 0.180.
        boolean[] xs = new boolean[100];
        for (int i = 0; i < 30; i++) {
            xs[i * 3] = true;
        }
        Estimate e = Bootstrap.DEFAULT.proportion(xs);
        assertEquals(0.3, e.value(), 1e-15);
        double expected = 2 * 1.96 * Math.sqrt(0.21 / 100);
        assertEquals(expected, e.high() - e.low(), 0.15 * expected);
    }

    @Test
    void smallSamplesHaveNoInterval() {
        assertEquals(Estimate.empty(), Bootstrap.DEFAULT.mean(new double[0]));
        Estimate one = Bootstrap.DEFAULT.mean(new double[] {2.5});
        assertEquals(2.5, one.value());
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()));
        assertEquals(1, one.n());
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], 50) = 2.5; 2.5th percentile = 1 + 0.075·1 = 1.075.
        double[] sorted = {1, 2, 3, 4};
        assertEquals(2.5, Bootstrap.quantile(sorted, 0.5), 1e-12);
        assertEquals(1.075, Bootstrap.quantile(sorted, 0.025), 1e-12);
        assertEquals(4.0, Bootstrap.quantile(sorted, 1.0), 1e-12);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 1));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.DEFAULT.mean(new double[] {1, Double.NaN}));
        assertTrue(nan.getMessage().contains("[1]"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.DEFAULT.pairedMeanDifference(new double[] {1, 2}, new double[] {1}));
    }

    private static double sampleSd(double[] xs) {
        double mean = 0;
        for (double x : xs) {
            mean += x / xs.length;
        }
        double squares = 0;
        for (double x : xs) {
            squares += (x - mean) * (x - mean);
        }
        return Math.sqrt(squares / (xs.length - 1));
    }
}
