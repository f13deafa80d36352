package dev.dpo4j.core.safetensors;

/**
 * Conversions between float32 and the two 16-bit float formats of safetensors checkpoints.
 *
 * <p>Widening is exact. Narrowing rounds to nearest, ties to even, as PyTorch's
 * {@code x.to(torch.float16)} and {@code x.to(torch.bfloat16)} do (c10's
 * {@code round_to_nearest_even}); values past the largest finite target overflow to infinity
 * and NaN stays NaN.
 */
public final class HalfFloats {

    /** float32 bits of 65520, halfway between F16's largest finite 65504 and 2^16. */
    private static final int F16_OVERFLOW_BITS = 0x477FF000;
    /** float32 bits of 2^-14, F16's smallest normal. */
    private static final int F16_MIN_NORMAL_BITS = 0x38800000;
    /** float32 bits of 2^-25, half of F16's smallest subnormal; it and below round to zero. */
    private static final int F16_HALF_MIN_SUBNORMAL_BITS = 0x33000000;
    /** Exponent rebias from float32 (127) to float16 (15), shifted into place: 112 << 23. */
    private static final int F16_REBIAS = 0x38000000;

    private HalfFloats() {
    }

    /**
     * Widens an IEEE binary16 value to float32, exactly, including subnormals, infinities and
     * NaN (the NaN payload is kept in the upper mantissa bits).
     *
     * @param bits the 16 bits of the half, as stored little-endian in the file
     * @return the same value as a float
     */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Narrows a float32 to IEEE binary16 with round-to-nearest-even; magnitudes from 65520 up
     * become infinity, magnitudes up to 2^-25 become (signed) zero, NaN stays a quiet NaN.
     *
     * @param value the float to narrow
     * @return the 16 bits of the nearest half
     */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            if (abs == 0x7F800000) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7E00 | ((abs >>> 13) & 0x3FF));
        }
        if (abs >= F16_OVERFLOW_BITS) {
            return (short) (sign | 0x7C00);
        }
        if (abs >= F16_MIN_NORMAL_BITS) {
            int rebiased = abs - F16_REBIAS;
            // add just under half an ulp, plus one if the kept lsb is odd: ties to even
            rebiased += 0x0FFF + ((rebiased >>> 13) & 1);
            return (short) (sign | (rebiased >>> 13));
        }
        if (abs <= F16_HALF_MIN_SUBNORMAL_BITS) {
            return (short) sign;
        }
        // subnormal half: value * 2^24 rounded to an integer in [0, 1024]
        int exponent = abs >>> 23;
        int mantissa = (abs & 0x7FFFFF) | 0x800000;
        int shift = 126 - exponent;
        int quotient = mantissa >>> shift;
        int remainder = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (quotient & 1) == 1)) {
            quotient++;
        }
        return (short) (sign | quotient);
    }

    /**
     * Widens a bfloat16 to float32: the 16 bits become the upper half of the float.
     *
     * @param bits the 16 bits of the bfloat16
     * @return the same value as a float
     */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Narrows a float32 to bfloat16 with round-to-nearest-even, as c10's
     * {@code round_to_nearest_even}: NaN becomes the quiet NaN 0x7FC0, values that round past
     * the largest finite bfloat16 become infinity.
     *
     * @param value the float to narrow
     * @return the 16 bits of the nearest bfloat16
     */
    public static short floatToBf16(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(value);
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
