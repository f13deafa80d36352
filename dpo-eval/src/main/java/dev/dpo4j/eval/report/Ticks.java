package dev.dpo4j.eval.report;

import java.util.ArrayList;
import java.util.List;

/**
 * "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten covering a data range
 * (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
 *
 * @param min the axis minimum (a multiple of {@code step}, at or below the data)
 * @param max the axis maximum (a multiple of {@code step}, at or above the data)
 * @param step the distance between ticks
 */
record Ticks(double min, double max, double step) {

    /** Ticks for data in [lo, hi] with about {@code target} intervals. */
    static Ticks cover(double lo, double hi, int target) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return new Ticks(0, 1, 0.2);
        }
        if (hi - lo < 1e-12) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = nice((hi - lo) / target);
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        return new Ticks(min, max, step);
    }

    /** The tick values from min to max. */
    List<Double> values() {
        List<Double> out = new ArrayList<>();
        int count = (int) Math.round((max - min) / step);
        for (int i = 0; i <= count; i++) {
            double v = min + i * step;
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return out;
    }

    /** Decimals needed to print the ticks without noise (0 for integer steps). */
    int decimals() {
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }

    private static double nice(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}
