package dev.dpo4j.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 4-bit code books against bitsandbytes' tables, NF4 against its definition from normal quantiles,
 * and the encoder against a brute-force nearest search.
 */
class FourBitCodeTest {

    @Test
    void nf4IsBitsandbytesTable() {
        for (int i = 0; i < 16; i++) {
            assertEquals((float) ReferenceCodes.NF4[i], FourBitCode.NF4.value(i), 0f, "NF4 index " + i);
        }
    }

    /**
     * bitsandbytes' {@code create_normal_map(offset=0.9677083, use_extra_value=True)}:
     * positives Φ⁻¹(linspace(offset, 0.5, 9)[:-1]) (8 values), negatives −Φ⁻¹(linspace(offset, 0.5, 8)[:-1])
     * (7 values), and 0; sorted and divided by the largest. torch.linspace runs in float32 here:
     * step = (end − start)/(steps − 1), start + step·i for the first half, end − step·(steps − 1 − i)
     * for the rest; Φ⁻¹ in double, the values stored as float32, the division in float32. (With the
     * probabilities in double instead, the values still agree within 1.2e-7.)
     */
    @Test
    void nf4IsNormalQuantilesNormalised() {
        float offset = 0.9677083f;
        float[] positive = linspaceFloat32(offset, 0.5f, 9);
        float[] negative = linspaceFloat32(offset, 0.5f, 8);
        float[] v = new float[16];
        for (int i = 0; i < 8; i++) {
            v[i] = (float) NormalQuantiles.inverseCdf(positive[i]);
        }
        for (int i = 0; i < 7; i++) {
            v[8 + i] = (float) -NormalQuantiles.inverseCdf(negative[i]);
        }
        v[15] = 0f;
        Arrays.sort(v);
        float max = v[15];
        for (int i = 0; i < 16; i++) {
            float normalised = v[i] / max;
            assertEquals(ReferenceCodes.NF4[i], normalised, 1e-6, "NF4 index " + i);
            // with torch's float32 linspace emulated, the table is reproduced bit for bit
            assertEquals((float) ReferenceCodes.NF4[i], normalised, 0f, "NF4 index " + i + ", float32");
        }
    }

    @Test
    void normalQuantilesAreAccurate() {
        // Φ⁻¹(0.975) = 1.959963984540054; Φ(1) = 0.8413447460685429
        assertEquals(1.959963984540054, NormalQuantiles.inverseCdf(0.975), 1e-13);
        assertEquals(0.8413447460685429, NormalQuantiles.cdf(1.0), 1e-15);
    }

    private static float[] linspaceFloat32(float start, float end, int steps) {
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? start + step * i : end - step * (steps - 1 - i);
        }
        return out;
    }

    /** FP4 by index from its bit fields (ReferenceCodes.FP4), e.g. 0b0011 = 12/12 = 1, 0b1110 = −2/12. */
    @Test
    void fp4IsBitsandbytesTable() {
        for (int i = 0; i < 16; i++) {
            assertEquals((float) ReferenceCodes.FP4[i], FourBitCode.FP4.value(i), 0f, "FP4 index " + i);
        }
        assertEquals(1f, FourBitCode.FP4.value(0b0011));
        assertEquals(-1f / 6, FourBitCode.FP4.value(0b1110), 1e-7);
        assertEquals(1f / 192, FourBitCode.FP4.value(0b0001), 1e-9);
    }

    @Test
    void largestGaps() {
        // NF4: between -1 and -0.6961928 (the negative half has one value fewer); FP4: between 2/3 and 1
        assertEquals(1 - 0.6961928009986877, ReferenceCodes.largestGap(ReferenceCodes.NF4), 1e-15);
        assertEquals(1.0 / 3, ReferenceCodes.largestGap(ReferenceCodes.FP4), 1e-15);
    }

    @Test
    void encodeIsNearest() {
        Random random = new Random(7);
        for (FourBitCode code : new FourBitCode[] {FourBitCode.NF4, FourBitCode.FP4}) {
            double[] table = ReferenceCodes.table(code.type());
            for (int t = 0; t < 20_000; t++) {
                float x = t < 2001 ? -1f + t / 1000f : random.nextFloat() * 2 - 1;
                double chosen = Math.abs(x - table[code.encode(x)]);
                double best = Double.MAX_VALUE;
                for (double v : table) {
                    best = Math.min(best, Math.abs(x - v));
                }
                assertTrue(chosen <= best + 1e-7, code.type() + " encodes " + x + " to " + code.encode(x));
            }
            // exact code values encode to themselves (FP4's -0 to +0's index 0)
            for (int i = 0; i < 16; i++) {
                assertEquals(code.value(i), code.value(code.encode(code.value(i))), 0f);
            }
        }
    }

    @Test
    void tiesGoToTheSmallerValue() {
        // NF4 0.0 (index 7) and 0.07958029955625534 (index 8): the midpoint 0.03979015 encodes to 7
        float midpoint = (float) (0.07958029955625534 / 2);
        assertEquals(7, FourBitCode.NF4.encode(midpoint));
        assertEquals(8, FourBitCode.NF4.encode(Math.nextUp(midpoint)));
        // every midpoint of both tables, and the floats either side of it (the encoder's bin table must not
        // move a boundary by one ulp), and values just outside [-1, 1]
        for (FourBitCode code : new FourBitCode[] {FourBitCode.NF4, FourBitCode.FP4}) {
            float[] values = code.values(); // the float32 table (checked against the reference above)
            double[] sorted = java.util.stream.IntStream.range(0, 16).mapToDouble(i -> values[i] == 0f ? 0 : values[i])
                    .distinct().sorted().toArray();
            for (int k = 0; k + 1 < sorted.length; k++) {
                float m = (float) ((sorted[k] + sorted[k + 1]) / 2);
                assertEquals(sorted[k], code.value(code.encode(m)), 0.0, code.type() + " midpoint " + m);
                assertEquals(sorted[k], code.value(code.encode(Math.nextDown(m))), 0.0, code.type() + " below " + m);
                assertEquals(sorted[k + 1], code.value(code.encode(Math.nextUp(m))), 0.0, code.type() + " above " + m);
            }
            assertEquals(-1.0, code.value(code.encode(-1.5f)) / Math.abs(sorted[0]), 0.0);
            assertEquals(1.0, code.value(code.encode(1.5f)) / sorted[sorted.length - 1], 0.0);
        }
    }

    @Test
    void zeroIndexAndPairTable() {
        assertEquals(7, FourBitCode.NF4.zeroIndex());
        assertEquals(0, FourBitCode.FP4.zeroIndex());
        float[] pairs = FourBitCode.NF4.pairTable();
        // byte 0xF0: high nibble 15 -> 1.0, low nibble 0 -> -1.0
        assertEquals(1f, pairs[2 * 0xF0]);
        assertEquals(-1f, pairs[2 * 0xF0 + 1]);
        for (int b = 0; b < 256; b++) {
            assertEquals(FourBitCode.NF4.value(b >>> 4), pairs[2 * b]);
            assertEquals(FourBitCode.NF4.value(b & 15), pairs[2 * b + 1]);
        }
    }
}
