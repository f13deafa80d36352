package dev.dpo4j.core.quant;

import java.util.Arrays;

/**
 * The 4-bit code tables as the tests know them, written out independently of {@link FourBitCode}, and
 * the error bounds that follow from them.
 */
final class ReferenceCodes {
    private ReferenceCodes() {
    }

    /**
     * NF4 by index, copied from bitsandbytes' {@code get_4bit_type("nf4")} (bitsandbytes/functional.py)
     * and QLoRA's Appendix E.
     */
    static final double[] NF4 = {
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0};

    /**
     * FP4 by index, built from its bit fields as bitsandbytes' own test ({@code test_4bit_quant}) does:
     * index = sign·8 + e1·4 + e2·2 + p1; exponent e = 2·e1 + e2; e = 0 gives 0 or ±0.0625 (p1), else
     * ±2^(4 − e) · (1.5 if p1 else 1); then divided by the absmax 12.
     */
    static final double[] FP4 = fp4();

    private static double[] fp4() {
        double[] out = new double[16];
        for (int index = 0; index < 16; index++) {
            int sign = index >> 3 & 1;
            int exponent = (index >> 2 & 1) * 2 + (index >> 1 & 1);
            int p1 = index & 1;
            double magnitude = exponent == 0 ? (p1 == 0 ? 0 : 0.0625)
                    : Math.pow(2, -exponent + 3 + 1) * (p1 == 1 ? 1.5 : 1);
            out[index] = (sign == 1 ? -magnitude : magnitude) / 12;
        }
        return out;
    }

    /** The largest distance between neighbouring values of a table; half of it bounds the 4-bit error. */
    static double largestGap(double[] table) {
        double[] sorted = table.clone();
        Arrays.sort(sorted);
        double gap = 0;
        for (int i = 1; i < sorted.length; i++) {
            gap = Math.max(gap, sorted[i] - sorted[i - 1]);
        }
        return gap;
    }

    /** The table of a 4-bit type. */
    static double[] table(QuantType type) {
        return switch (type) {
            case NF4 -> NF4;
            case FP4 -> FP4;
            case INT8 -> throw new IllegalArgumentException("int8 has no 4-bit table");
        };
    }
}
