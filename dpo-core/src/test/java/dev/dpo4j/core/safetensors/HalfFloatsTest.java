package dev.dpo4j.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden values for half/bfloat16 conversions, worked by hand.
 *
 * <p>binary16: value = (-1)^s * 2^(e-15) * (1 + m/1024) for 1 &lt;= e &lt;= 30,
 * (-1)^s * m * 2^-24 for e = 0; e = 31 is inf (m = 0) or NaN. bfloat16 is the top 16 bits of a
 * binary32: 8 exponent bits, 7 mantissa bits, so 1.0 = 0x3F80 and one ulp at 1.0 is 2^-7.
 */
class HalfFloatsTest {

    private static float half(int bits) {
        return HalfFloats.halfToFloat((short) bits);
    }

    private static int toHalf(float f) {
        return HalfFloats.floatToHalf(f) & 0xFFFF;
    }

    private static int toBf16(float f) {
        return HalfFloats.floatToBf16(f) & 0xFFFF;
    }

    @Test
    void halfGoldenValues() {
        assertEquals(1.0f, half(0x3C00));           // e=15, m=0
        assertEquals(-2.0f, half(0xC000));          // s=1, e=16
        assertEquals(65504.0f, half(0x7BFF));       // 2^15 * (1 + 1023/1024), largest finite
        assertEquals(0x1p-24f, half(0x0001));       // smallest subnormal: 1 * 2^-24
        assertEquals(1023 * 0x1p-24f, half(0x03FF)); // largest subnormal
        assertEquals(0x1p-14f, half(0x0400));       // smallest normal
        assertEquals(0.333251953125f, half(0x3555)); // 2^-2 * (1 + 341/1024)
        assertEquals(Float.POSITIVE_INFINITY, half(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, half(0xFC00));
        assertTrue(Float.isNaN(half(0x7E00)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(half(0x8000)));
    }

    @Test
    void halfToFloatMatchesFormulaForAllBitPatterns() {
        for (int h = 0; h < 0x10000; h++) {
            int s = h >>> 15;
            int e = (h >>> 10) & 0x1F;
            int m = h & 0x3FF;
            float got = half(h);
            if (e == 31) {
                assertTrue(m == 0 ? Float.isInfinite(got) : Float.isNaN(got), "bits " + h);
                continue;
            }
            double magnitude = e == 0 ? m * Math.pow(2, -24) : Math.pow(2, e - 15) * (1 + m / 1024.0);
            double expected = s == 1 ? -magnitude : magnitude;
            assertEquals(expected, got, 0.0, "bits " + Integer.toHexString(h));
            assertEquals(h, toHalf(got), "round trip of " + Integer.toHexString(h));
        }
    }

    @Test
    void floatToHalfRoundsToNearestEven() {
        assertEquals(0x3C00, toHalf(1.0f));
        assertEquals(0xC000, toHalf(-2.0f));
        assertEquals(0x7BFF, toHalf(65504.0f));
        // one F16 ulp at 1.0 is 2^-10; 1 + 2^-11 is the tie between 0x3C00 (even) and 0x3C01
        assertEquals(0x3C00, toHalf(1 + 0x1p-11f));
        // 1 + 3*2^-11 ties between 0x3C01 (odd) and 0x3C02 (even)
        assertEquals(0x3C02, toHalf(1 + 3 * 0x1p-11f));
        // just above the tie rounds up
        assertEquals(0x3C01, toHalf(1 + 0x1p-11f + 0x1p-20f));
        // 65519 is below the tie 65520 with 2^16 and stays 65504; 65520 ties to even = 2^16 = inf
        assertEquals(0x7BFF, toHalf(65519.0f));
        assertEquals(0x7C00, toHalf(65520.0f));
        assertEquals(0xFC00, toHalf(-1e10f));
        // subnormals: units of 2^-24
        assertEquals(0x0001, toHalf(0x1p-24f));
        assertEquals(0x0000, toHalf(0x1p-25f));         // 0.5 unit: tie to even 0
        assertEquals(0x0001, toHalf(1.5f * 0x1p-25f));  // 0.75 unit rounds to 1
        assertEquals(0x0002, toHalf(3 * 0x1p-25f));     // 1.5 units: tie, even is 2
        assertEquals(0x0002, toHalf(5 * 0x1p-25f));     // 2.5 units: tie, even is 2
        assertEquals(0x0400, toHalf(0x1p-14f - 0x1p-26f)); // 1023.75 units rounds up to 2^-14
        assertEquals(0x8000, toHalf(-1e-9f));
        assertEquals(0x7C00, toHalf(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(half(toHalf(Float.NaN))));
    }

    @Test
    void floatToHalfIsNearestForRandomFloats() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) ((random.nextDouble() * 2 - 1) * Math.pow(2, random.nextInt(36) - 26));
            int r = toHalf(x);
            double error = Math.abs(x - (double) half(r));
            // the neighbours of r in magnitude (same sign); r +/- 1 on the bit pattern
            for (int neighbour : new int[] {r - 1, r + 1}) {
                if ((neighbour & 0x7FFF) <= 0x7BFF && (neighbour >>> 15) == (r >>> 15)) {
                    assertTrue(error <= Math.abs(x - (double) half(neighbour)),
                            x + " -> " + Integer.toHexString(r));
                }
            }
        }
    }

    @Test
    void bf16GoldenValues() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.0f, HalfFloats.bf16ToFloat((short) 0xC000));
        assertEquals(0x1p-133f, HalfFloats.bf16ToFloat((short) 0x0001)); // 2^-126 * 2^-7
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0x7F80));
        // one BF16 ulp at 1.0 is 2^-7; 1 + 2^-8 ties between 0x3F80 (even) and 0x3F81
        assertEquals(0x3F80, toBf16(1 + 0x1p-8f));
        // 1 + 3*2^-8 ties between 0x3F81 (odd) and 0x3F82 (even) = 1 + 2^-6 = 1.015625
        assertEquals(0x3F82, toBf16(1 + 3 * 0x1p-8f));
        // just above the tie rounds up: 1 + 2^-7
        assertEquals(0x3F81, toBf16(1 + 0x1p-8f + 0x1p-20f));
        // pi = 0x40490FDB: dropped bits 0x0FDB < 0x8000, so truncation, 3.140625
        assertEquals(0x4049, toBf16((float) Math.PI));
        // -1.5 = 0xBFC00000 is exact
        assertEquals(0xBFC0, toBf16(-1.5f));
        // the largest float rounds past the largest bf16 (0x7F7F) to infinity, as torch does
        assertEquals(0x7F80, toBf16(Float.MAX_VALUE));
        assertEquals(0x7FC0, toBf16(Float.NaN));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) toBf16(Float.NaN))));
    }

    @Test
    void bf16RoundTripsAllNonNanPatterns() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            assertEquals(Float.floatToRawIntBits(f), b << 16);
            if (!Float.isNaN(f)) {
                assertEquals(b, toBf16(f), "bits " + Integer.toHexString(b));
            }
        }
    }
}
