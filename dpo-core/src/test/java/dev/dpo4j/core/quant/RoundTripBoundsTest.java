package dev.dpo4j.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round trips stay within the published per-value bounds, computed here from the raw weights and the
 * reference tables, never from the code under test:
 *
 * <pre>
 *   4-bit:  |x − x̂| ≤ gap/2 · a_b + 1e-6 · a_b  (+ max_g|a − mean(a)|/254 + 1e-6 · max a, with DQ)
 *   int8:   |x − x̂| ≤ a_r/254 + 1e-6 · a_r
 * </pre>
 *
 * where a_b is the absmax of x's block of K values, a_r that of its row, gap the largest distance
 * between neighbouring code values (NF4 0.30381, FP4 1/3), and the 1e-6 terms cover float32 rounding
 * (a few ulps). And NF4's point: on N(0, 1) weights its mean squared error is below FP4's and below a
 * 16-level uniform absmax quantizer's.
 */
class RoundTripBoundsTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> fourBitCases() {
        return TestWeights.FOUR_BIT.stream()
                .flatMap(c -> TestWeights.SHAPES.stream().map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest
    @MethodSource("fourBitCases")
    void fourBitWithinBound(QuantConfig config, long[] shape) {
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        int n = rows * cols;
        int k = config.blockSize();
        float[] w = TestWeights.normal(n, rows, cols);
        boolean zeroBlock = n >= 3 * k;
        if (zeroBlock) {
            Arrays.fill(w, k, 2 * k, 0f); // block 1 is all zeros
        }
        int m = (n + k - 1) / k;
        double[] absmax = new double[m];
        for (int i = 0; i < n; i++) {
            absmax[i / k] = Math.max(absmax[i / k], Math.abs(w[i]));
        }
        double[] dqError = config.doubleQuant() ? doubleQuantError(absmax) : new double[m];
        double halfGap = ReferenceCodes.largestGap(ReferenceCodes.table(config.type())) / 2;

        try (QuantizedWeight q = QuantizedWeight.quantize(FloatBuffer.wrap(w), shape, config, manager)) {
            float[] back = q.dequantizeInJava();
            double worstRatio = 0;
            for (int i = 0; i < n; i++) {
                double a = absmax[i / k];
                double bound = halfGap * a + 1e-6 * a + dqError[i / k];
                double error = Math.abs(w[i] - back[i]);
                assertTrue(error <= bound, config.label() + " value " + i + ": |" + w[i] + " - " + back[i] + "| = "
                        + error + " > " + bound);
                worstRatio = Math.max(worstRatio, bound == 0 ? 0 : error / bound);
            }
            if (zeroBlock) {
                for (int i = k; i < 2 * k; i++) {
                    assertEquals(0f, back[i], 0f, "zero block value " + i);
                }
            }
            if (n > 1) {
                assertTrue(worstRatio > 0.05, config.label() + ": errors suspiciously small, " + worstRatio);
            }
        }
    }

    /** |a − a'| per block: max_g|a − mean|/254 over its group of 256 blocks, plus float32 slack. */
    private static double[] doubleQuantError(double[] absmax) {
        int m = absmax.length;
        double mean = 0;
        double max = 0;
        for (double a : absmax) {
            mean += a / m;
            max = Math.max(max, a);
        }
        double[] error = new double[m];
        for (int from = 0; from < m; from += 256) {
            int to = Math.min(from + 256, m);
            double deviation = 0;
            for (int b = from; b < to; b++) {
                deviation = Math.max(deviation, Math.abs(absmax[b] - mean));
            }
            for (int b = from; b < to; b++) {
                error[b] = deviation / 254 + 1e-6 * max;
            }
        }
        return error;
    }

    @Test
    void int8WithinBound() {
        for (long[] shape : TestWeights.SHAPES) {
            int rows = (int) shape[0];
            int cols = (int) shape[1];
            float[] w = TestWeights.normal(rows * 31L + cols, rows, cols);
            if (rows > 2) {
                Arrays.fill(w, cols, 2 * cols, 0f); // row 1 is all zeros
            }
            try (QuantizedWeight q = QuantizedWeight.quantize(FloatBuffer.wrap(w), shape, QuantConfig.int8(),
                    manager)) {
                float[] back = q.dequantizeInJava();
                for (int r = 0; r < rows; r++) {
                    double a = 0;
                    for (int c = 0; c < cols; c++) {
                        a = Math.max(a, Math.abs(w[r * cols + c]));
                    }
                    double bound = a / 254 + 1e-6 * a;
                    for (int c = 0; c < cols; c++) {
                        int i = r * cols + c;
                        assertTrue(Math.abs(w[i] - back[i]) <= bound, "int8 " + rows + "x" + cols + " value [" + r
                                + ", " + c + "]: |" + w[i] + " - " + back[i] + "| > " + bound);
                    }
                }
            }
        }
    }

    /**
     * On N(0, 1) weights in blocks of 64, NF4's quantiles put more codes where the normalised values are
     * dense (near 0) than FP4 (whose codes jump from 1/192 to 1/6) or a uniform grid of 16 levels
     * −1, −13/15, …, 1 does, so its mean squared error is the smallest of the three.
     */
    @Test
    void nf4BeatsFp4AndUniformOnNormalWeights() {
        int rows = 64;
        int cols = 1024;
        Random random = new Random(42);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        double nf4 = mse(w, quantizedBack(w, rows, cols, QuantConfig.nf4(false)));
        double fp4 = mse(w, quantizedBack(w, rows, cols, QuantConfig.fp4(false)));
        double uniform = mse(w, uniform16(w, 64));
        assertTrue(nf4 < fp4, "NF4 MSE " + nf4 + " is not below FP4's " + fp4);
        assertTrue(nf4 < uniform, "NF4 MSE " + nf4 + " is not below uniform 16-level's " + uniform);
    }

    private static float[] quantizedBack(float[] w, int rows, int cols, QuantConfig config) {
        try (QuantizedWeight q = QuantizedWeight.quantize(FloatBuffer.wrap(w), new long[] {rows, cols}, config,
                manager)) {
            return q.dequantizeInJava();
        }
    }

    /** Blockwise absmax with the 16 levels −1 + 2j/15, j = 0…15, nearest level. */
    private static float[] uniform16(float[] w, int blockSize) {
        float[] out = new float[w.length];
        for (int from = 0; from < w.length; from += blockSize) {
            int to = Math.min(from + blockSize, w.length);
            double a = 0;
            for (int i = from; i < to; i++) {
                a = Math.max(a, Math.abs(w[i]));
            }
            for (int i = from; i < to; i++) {
                double normalised = a == 0 ? 0 : w[i] / a;
                long j = Math.round((normalised + 1) * 15 / 2);
                out[i] = (float) ((-1 + 2.0 * j / 15) * a);
            }
        }
        return out;
    }

    private static double mse(float[] w, float[] back) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            double d = w[i] - back[i];
            sum += d * d;
        }
        return sum / w.length;
    }
}
