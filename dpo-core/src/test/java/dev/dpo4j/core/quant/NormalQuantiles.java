package dev.dpo4j.core.quant;

/**
 * The standard normal distribution's CDF and its inverse in double precision, for recomputing the NF4
 * table without scipy: Φ from the everywhere-positive series of erf, Φ⁻¹ from Acklam's rational
 * approximation (relative error below 1.15e-9) refined by Newton steps on Φ.
 */
final class NormalQuantiles {
    private NormalQuantiles() {
    }

    /**
     * erf(z) = 2/√π · e^(−z²) · Σ_{k≥0} 2^k z^(2k+1) / (1·3·5···(2k+1)); every term is positive, so the
     * sum has no cancellation. Converges for all z; used here for |z| ≤ 3.
     */
    static double erf(double z) {
        double term = z;
        double sum = z;
        for (int k = 1; k < 200; k++) {
            term *= 2 * z * z / (2 * k + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
    }

    /** Φ(x) = (1 + erf(x/√2)) / 2. */
    static double cdf(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    /** φ(x) = e^(−x²/2) / √(2π). */
    static double pdf(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    /** Φ⁻¹(p) for p in (0.0014, 0.9986) (|x| ≤ 3): Acklam's approximation, then three Newton steps. */
    static double inverseCdf(double p) {
        double x = acklam(p);
        for (int i = 0; i < 3; i++) {
            x -= (cdf(x) - p) / pdf(x);
        }
        return x;
    }

    private static double acklam(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -acklam(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
