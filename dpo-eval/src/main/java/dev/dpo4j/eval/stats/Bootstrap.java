package dev.dpo4j.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic percentile bootstrap (Efron and Tibshirani 1993, ch. 13).
 *
 * <p>Each resample draws {@code n} items with replacement, recomputes the statistic, and
 * the 95% interval is the 2.5th and 97.5th percentile of the resampled statistics (linear
 * interpolation between order statistics, as {@code numpy.percentile} does). The same
 * resample count and seed give the same interval on the same data. Instances are
 * immutable and thread-safe: every call starts a fresh generator from the seed.
 */
public final class Bootstrap {

    /** 10 000 resamples, seed 42: the default for reports. */
    public static final Bootstrap DEFAULT = new Bootstrap(10_000, 42L);

    private static final double LOW_QUANTILE = 0.025;
    private static final double HIGH_QUANTILE = 0.975;

    private final int resamples;
    private final long seed;

    /**
     * Creates a bootstrap.
     *
     * @param resamples number of resamples; more gives steadier interval ends (10 000 is
     *     the usual choice; 1 000 is enough for a quick look)
     * @param seed seed of the random generator
     * @throws IllegalArgumentException if {@code resamples < 1}
     */
    public Bootstrap(int resamples, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("bootstrap resamples must be >= 1, got " + resamples);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    /**
     * The number of resamples.
     *
     * @return resamples per interval
     */
    public int resamples() {
        return resamples;
    }

    /**
     * The seed.
     *
     * @return seed of the random generator
     */
    public long seed() {
        return seed;
    }

    /**
     * The sample mean with its 95% bootstrap interval.
     *
     * @param xs the sample (not modified); no {@code NaN}s
     * @return the mean; {@link Estimate#empty()} for an empty sample, no interval for one item
     * @throws IllegalArgumentException if a value is {@code NaN} (the message gives its index)
     */
    public Estimate mean(double[] xs) {
        requireNumbers(xs, "xs");
        int n = xs.length;
        if (n == 0) {
            return Estimate.empty();
        }
        double value = sum(xs) / n;
        if (n == 1) {
            return new Estimate(value, Double.NaN, Double.NaN, 1);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += xs[random.nextInt(n)];
            }
            stats[r] = total / n;
        }
        return interval(value, stats, n);
    }

    /**
     * The difference of means {@code mean(a) − mean(b)} over paired items, with a 95%
     * interval from resampling items (the same indices for both arrays, so the pairing is
     * kept).
     *
     * @param a the first measurement of each item
     * @param b the second measurement of each item, same length as {@code a}
     * @return the mean difference a − b
     * @throws IllegalArgumentException if the lengths differ or a value is {@code NaN}
     */
    public Estimate pairedMeanDifference(double[] a, double[] b) {
        return mean(differences(a, b));
    }

    /**
     * The share of {@code true} values with its 95% bootstrap interval.
     *
     * @param xs the outcomes
     * @return the proportion in [0, 1]
     */
    public Estimate proportion(boolean[] xs) {
        double[] ones = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ones[i] = xs[i] ? 1.0 : 0.0;
        }
        return mean(ones);
    }

    /**
     * The element-wise differences {@code a[i] − b[i]}.
     *
     * @param a the first array
     * @param b the second array, same length
     * @return a new array of differences
     * @throws IllegalArgumentException if the lengths differ or a value is {@code NaN}
     */
    static double[] differences(double[] a, double[] b) {
        requireNumbers(a, "a");
        requireNumbers(b, "b");
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "paired samples must have the same length, got " + a.length + " and " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static Estimate interval(double value, double[] stats, int n) {
        Arrays.sort(stats);
        return new Estimate(value, quantile(stats, LOW_QUANTILE), quantile(stats, HIGH_QUANTILE), n);
    }

    /** Linear-interpolation quantile of sorted values (numpy's default "linear" method). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        if (fraction == 0 || sorted[below] == sorted[above]) {
            return sorted[below];
        }
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    private static double sum(double[] xs) {
        double total = 0;
        for (double x : xs) {
            total += x;
        }
        return total;
    }

    private static void requireNumbers(double[] xs, String name) {
        if (xs == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(xs[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is NaN");
            }
        }
    }
}
