package dev.dpo4j.core.quant;

import java.util.List;
import java.util.Random;

/** Weights and configurations shared by the quantization tests. */
final class TestWeights {
    private TestWeights() {
    }

    /**
     * Shapes: a multiple of 64 values; 315 values (not a multiple of 64, odd); 15 values (one partial
     * block, odd); a single value; 33 280 values (520 blocks of 64: three double-quantization groups,
     * the last partial).
     */
    static final List<long[]> SHAPES = List.of(
            new long[] {16, 128}, new long[] {7, 45}, new long[] {3, 5}, new long[] {1, 1}, new long[] {130, 256});

    /** The 4-bit configurations under test: both types with and without DQ, and two other block sizes. */
    static final List<QuantConfig> FOUR_BIT = List.of(
            QuantConfig.nf4(false), QuantConfig.nf4(true), QuantConfig.fp4(false), QuantConfig.fp4(true),
            new QuantConfig(QuantType.NF4, true, 128), new QuantConfig(QuantType.FP4, false, 16));

    /**
     * N(0, σ²) values with σ varying by row (0.02 to 0.08, as in trained projections), so block absmax
     * values differ and double quantization has something to compress.
     *
     * @param seed the random seed
     * @param rows O
     * @param cols I
     * @return (O·I) row-major
     */
    static float[] normal(long seed, int rows, int cols) {
        Random random = new Random(seed);
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double sigma = 0.02 + 0.01 * (r % 7);
            for (int c = 0; c < cols; c++) {
                w[r * cols + c] = (float) (random.nextGaussian() * sigma);
            }
        }
        return w;
    }
}
