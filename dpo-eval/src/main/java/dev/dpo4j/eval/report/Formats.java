package dev.dpo4j.eval.report;

import dev.dpo4j.eval.stats.Estimate;
import java.util.Locale;

/** Number formatting shared by the Markdown and HTML reports; a missing value is an en dash. */
final class Formats {

    /** Shown for a missing or undefined value. */
    static final String MISSING = "–";

    private Formats() {
    }

    /** {@code "3.12 [2.95, 3.30]"}, or the dash when the estimate is null or NaN. */
    static String estimate(Estimate e, int decimals) {
        if (e == null || Double.isNaN(e.value())) {
            return MISSING;
        }
        return e.format(decimals);
    }

    /** The value alone, {@code "3.12"}. */
    static String value(Estimate e, int decimals) {
        return e == null ? MISSING : number(e.value(), decimals);
    }

    /** The interval alone, {@code "[2.95, 3.30]"}, or empty when there is none. */
    static String interval(Estimate e, int decimals) {
        if (e == null || !e.hasInterval()) {
            return "";
        }
        return "[" + number(e.low(), decimals) + ", " + number(e.high(), decimals) + "]";
    }

    /** A share as a percentage with its interval: {@code "62.0% [55.0%, 69.0%]"}. */
    static String percent(Estimate e) {
        if (e == null || Double.isNaN(e.value())) {
            return MISSING;
        }
        String text = percent(e.value());
        return e.hasInterval() ? text + " [" + percent(e.low()) + ", " + percent(e.high()) + "]" : text;
    }

    /** A share as a percentage, {@code "62.0%"}. */
    static String percent(double share) {
        return Double.isNaN(share) ? MISSING : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** A number with fixed decimals, the dash for NaN. */
    static String number(double x, int decimals) {
        return Double.isNaN(x) ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** A signed number with fixed decimals, {@code "+0.42"}. */
    static String signed(double x, int decimals) {
        return Double.isNaN(x) ? MISSING : String.format(Locale.ROOT, "%+." + decimals + "f", x);
    }

    /** A signed estimate, {@code "+0.42 [+0.10, +0.75]"}. */
    static String signed(Estimate e, int decimals) {
        if (e == null || Double.isNaN(e.value())) {
            return MISSING;
        }
        String text = signed(e.value(), decimals);
        return e.hasInterval()
                ? text + " [" + signed(e.low(), decimals) + ", " + signed(e.high(), decimals) + "]"
                : text;
    }

    /** A p-value: three decimals, or {@code "< 0.001"}. */
    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return MISSING;
        }
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
