package dev.dpo4j.eval.stats;

import java.util.SplittableRandom;

/**
 * Two-sided significance tests for paired comparisons of two systems on the same items.
 *
 * <ul>
 *   <li>{@link #signFlipPValue}: the paired randomization (sign-flip) test of
 *       {@code mean(a − b) = 0}. Under the null hypothesis each difference is as likely to be
 *       positive as negative, so flipping signs at random draws from the null distribution of
 *       the mean (Efron and Tibshirani 1993, §15.2; Fisher 1935).
 *   <li>{@link #signTestPValue}: the exact binomial sign test on wins and losses, ties
 *       excluded (Conover, <i>Practical Nonparametric Statistics</i>, §3.4).
 * </ul>
 */
public final class PairedTests {

    /** Up to this many nonzero differences the sign-flip test enumerates all 2^m sign patterns. */
    public static final int EXACT_LIMIT = 20;

    private PairedTests() {
    }

    /**
     * Two-sided paired sign-flip p-value for {@code mean(a − b) = 0}.
     *
     * <p>With m nonzero differences (zeros do not change under a flip): when m ≤ {@value
     * #EXACT_LIMIT} every one of the 2^m sign patterns is enumerated and
     * {@code p = #{patterns with |mean*| ≥ |mean|} / 2^m} (exact); otherwise {@code resamples}
     * random patterns are drawn and {@code p = (1 + #{|mean*| ≥ |mean|}) / (1 + resamples)}.
     * Means are compared with a relative tolerance of 1e-9 so that ties from rounding count.
     *
     * @param a the first system's value per item
     * @param b the second system's value per item, same length
     * @param resamples random sign patterns when the test is not exact (≥ 1)
     * @param seed seed of the random generator
     * @return the p-value in (0, 1]; 1.0 when every difference is zero
     * @throws IllegalArgumentException if the lengths differ, a value is {@code NaN} or
     *     {@code resamples < 1}
     */
    public static double signFlipPValue(double[] a, double[] b, int resamples, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("sign-flip resamples must be >= 1, got " + resamples);
        }
        double[] nonzero = nonzero(Bootstrap.differences(a, b));
        int m = nonzero.length;
        if (m == 0) {
            return 1.0;
        }
        // The sum has the same absolute ordering as the mean (both over the same n items).
        double observed = Math.abs(sum(nonzero));
        double threshold = observed - 1e-9 * sumAbs(nonzero);
        if (m <= EXACT_LIMIT) {
            return exact(nonzero, threshold);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long extreme = 0;
        for (int r = 0; r < resamples; r++) {
            double total = 0;
            long bits = 0;
            for (int i = 0; i < m; i++) {
                if ((i & 63) == 0) {
                    bits = random.nextLong();
                }
                total += ((bits >>> (i & 63)) & 1L) == 0 ? nonzero[i] : -nonzero[i];
            }
            if (Math.abs(total) >= threshold) {
                extreme++;
            }
        }
        return (1.0 + extreme) / (1.0 + resamples);
    }

    /**
     * Exact two-sided binomial sign test: the probability under Binomial(w + l, ½) of a split
     * at least as uneven as the observed one, {@code p = min(1, 2·P(X ≤ min(w, l)))}.
     *
     * @param wins items the first system won
     * @param losses items the first system lost (ties are not counted)
     * @return the p-value in (0, 1]; 1.0 when {@code wins + losses = 0}
     * @throws IllegalArgumentException if a count is negative
     */
    public static double signTestPValue(int wins, int losses) {
        if (wins < 0 || losses < 0) {
            throw new IllegalArgumentException(
                    "sign test counts must be >= 0, got wins=" + wins + " losses=" + losses);
        }
        int n = wins + losses;
        if (n == 0) {
            return 1.0;
        }
        int k = Math.min(wins, losses);
        double tail = n <= 62 ? exactTail(n, k) : logTail(n, k);
        return Math.min(1.0, 2.0 * tail);
    }

    /** P(X ≤ k) for X ~ Binomial(n, ½), n ≤ 62, with exact integer binomial coefficients. */
    private static double exactTail(int n, int k) {
        long coefficient = 1;
        long total = 0;
        for (int i = 0; i <= k; i++) {
            total += coefficient;
            // C(n, i+1) = C(n, i)·(n−i)/(i+1); the division is exact, and k ≤ n/2 keeps it in range.
            coefficient = coefficient / (i + 1) * (n - i) + coefficient % (i + 1) * (n - i) / (i + 1);
        }
        return total / Math.pow(2, n);
    }

    /** P(X ≤ k) for X ~ Binomial(n, ½) through log coefficients, for large n. */
    private static double logTail(int n, int k) {
        double logCoefficient = 0;
        double logHalfPower = n * Math.log(0.5);
        double total = 0;
        for (int i = 0; i <= k; i++) {
            total += Math.exp(logCoefficient + logHalfPower);
            logCoefficient += Math.log(n - i) - Math.log(i + 1);
        }
        return total;
    }

    private static double exact(double[] d, double threshold) {
        int m = d.length;
        long patterns = 1L << m;
        long extreme = 0;
        for (long mask = 0; mask < patterns; mask++) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                total += ((mask >>> i) & 1L) == 0 ? d[i] : -d[i];
            }
            if (Math.abs(total) >= threshold) {
                extreme++;
            }
        }
        return (double) extreme / patterns;
    }

    private static double[] nonzero(double[] d) {
        int count = 0;
        for (double x : d) {
            if (x != 0) {
                count++;
            }
        }
        double[] out = new double[count];
        int j = 0;
        for (double x : d) {
            if (x != 0) {
                out[j++] = x;
            }
        }
        return out;
    }

    private static double sum(double[] xs) {
        double total = 0;
        for (double x : xs) {
            total += x;
        }
        return total;
    }

    private static double sumAbs(double[] xs) {
        double total = 0;
        for (double x : xs) {
            total += Math.abs(x);
        }
        return total;
    }
}
