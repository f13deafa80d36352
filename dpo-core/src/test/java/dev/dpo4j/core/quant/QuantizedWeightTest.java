package dev.dpo4j.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.safetensors.HalfFloats;
import java.nio.FloatBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Engine decoding against the Java reference, the nibble order, the stored size, validation and the
 * lifecycle of a {@link QuantizedWeight}.
 */
class QuantizedWeightTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> allCases() {
        return Stream.concat(TestWeights.FOUR_BIT.stream(), Stream.of(QuantConfig.int8()))
                .flatMap(c -> TestWeights.SHAPES.stream().map(s -> Arguments.of(c, s)));
    }

    private static QuantizedWeight quantize(float[] w, long[] shape, QuantConfig config) {
        return QuantizedWeight.quantize(FloatBuffer.wrap(w), shape, config, manager);
    }

    /**
     * Bit for bit: every decoded value is the same IEEE float32 operations on the same operands in the
     * same order on both sides (code·absmax; with DQ absmax = q·s + offset first; int8 q·s), each
     * correctly rounded, and no fused multiply-add. float16 is the float32 values rounded to nearest
     * even, as {@link HalfFloats} does.
     */
    @ParameterizedTest
    @MethodSource("allCases")
    void engineMatchesJava(QuantConfig config, long[] shape) {
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] w = TestWeights.normal(17L * rows + cols, rows, cols);
        try (QuantizedWeight q = quantize(w, shape, config);
             NDManager step = manager.newSubManager()) {
            float[] java = q.dequantizeInJava();
            NDArray f32 = q.dequantize(step, DataType.FLOAT32);
            assertEquals(new Shape(rows, cols), f32.getShape());
            assertEquals(DataType.FLOAT32, f32.getDataType());
            assertBitsEqual(java, f32.toFloatArray(), config.label() + " float32");

            NDArray f16 = q.dequantize(step, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, f16.getDataType());
            float[] expected16 = new float[java.length];
            for (int i = 0; i < java.length; i++) {
                expected16[i] = HalfFloats.halfToFloat(HalfFloats.floatToHalf(java[i]));
            }
            assertBitsEqual(expected16, f16.toType(DataType.FLOAT32, false).toFloatArray(),
                    config.label() + " float16");

            // decoded a range at a time (the CPU path for large weights): the same bits, whatever the range,
            // including ranges that split a row, a double-quantization group or leave a partial last range
            for (long chunk : new long[] {1, 64, 100, 1000, 4096}) {
                assertBitsEqual(java, q.dequantize(step, DataType.FLOAT32, chunk).toFloatArray(),
                        config.label() + " float32 in ranges of " + chunk);
                assertBitsEqual(expected16, q.dequantize(step, DataType.FLOAT16, chunk).toType(DataType.FLOAT32, false)
                        .toFloatArray(), config.label() + " float16 in ranges of " + chunk);
            }
        }
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + " value " + i + ": expected " + expected[i] + " but engine gave "
                        + actual[i]);
            }
        }
    }

    /**
     * NF4, 1×4 weight (2, −2, 0, 1): one block, absmax 2, normalised (1, −1, 0, 0.5). Nearest NF4 codes:
     * 1 → index 15 (0xF), −1 → 0 (0x0), 0 → 7 (0x7), 0.5 → 12 (0.44071, 0.05929 away; index 13,
     * 0.56262, is 0.06262 away) (0xC). Bytes, first value high: 0xF0, 0x7C. Decoded: 2, −2, 0,
     * 0.44070983·2 = 0.88141966.
     */
    @Test
    void nf4PacksFirstValueInHighNibble() {
        try (QuantizedWeight q = quantize(new float[] {2f, -2f, 0f, 1f}, new long[] {1, 4}, QuantConfig.nf4(false))) {
            byte[] bytes = ((BlockwiseFourBit) q.packed()).packedBytes();
            assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0x7C}, bytes);
            assertArrayEquals(new float[] {2f, -2f, 0f, 0.44070982933044434f * 2f}, q.dequantizeInJava());
            try (NDManager step = manager.newSubManager()) {
                assertArrayEquals(q.dequantizeInJava(), q.dequantize(step, DataType.FLOAT32).toFloatArray());
            }
        }
    }

    /**
     * FP4, 1×4 weight (3, −0.5, 1, 0): absmax 3, normalised (1, −1/6, 1/3, 0). FP4 indices: 1 → 0b0011,
     * −1/6 → sign 0b1000 + 0b0110 = 0b1110, 1/3 → 0b0100, 0 → 0b0000. Bytes 0x3E, 0x40; decoded 3,
     * −(2/12)·3 = −0.5, (4/12)·3 = 1, 0 (float32 products round to these exactly).
     */
    @Test
    void fp4PacksFirstValueInHighNibble() {
        try (QuantizedWeight q = quantize(new float[] {3f, -0.5f, 1f, 0f}, new long[] {1, 4}, QuantConfig.fp4(false))) {
            assertArrayEquals(new byte[] {0x3E, 0x40}, ((BlockwiseFourBit) q.packed()).packedBytes());
            assertArrayEquals(new float[] {3f, -0.5f, 1f, 0f}, q.dequantizeInJava());
        }
    }

    /** An odd count: the last byte's low nibble is padding, encoded as NF4's zero (index 7). */
    @Test
    void oddCountPadsLowNibbleWithZeroCode() {
        try (QuantizedWeight q = quantize(new float[] {1f, -1f, 1f}, new long[] {3, 1}, QuantConfig.nf4(false))) {
            assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0xF7}, ((BlockwiseFourBit) q.packed()).packedBytes());
            assertArrayEquals(new float[] {1f, -1f, 1f}, q.dequantizeInJava());
        }
    }

    /**
     * 4-bit: ⌈N/2⌉ + 4·M, with DQ ⌈N/2⌉ + M + 4·⌈M/256⌉ + 4; int8: N + 4·O. For N a multiple of 64,
     * 4-bit is at most 0.5625·N bytes (0.14 of float32's 4·N).
     */
    @ParameterizedTest
    @MethodSource("allCases")
    void storedBytesMatchFormula(QuantConfig config, long[] shape) {
        long rows = shape[0];
        long n = rows * shape[1];
        long expected;
        if (config.type() == QuantType.INT8) {
            expected = n + 4 * rows;
        } else {
            long blocks = (n + config.blockSize() - 1) / config.blockSize();
            long packed = (n + 1) / 2;
            expected = config.doubleQuant() ? packed + blocks + 4 * ((blocks + 255) / 256) + 4 : packed + 4 * blocks;
        }
        try (QuantizedWeight q = quantize(new float[(int) n], shape, config)) {
            assertEquals(expected, q.storedBytes(), config.label() + " " + rows + "x" + shape[1]);
            if (config.bits() == 4 && n % 64 == 0 && config.blockSize() >= 64) {
                assertTrue(q.storedBytes() <= 0.57 * n, q.storedBytes() + " bytes for " + n + " values");
            }
        }
    }

    /** absmax 0 everywhere (and, with DQ, group scale 0): nothing is divided by zero, all decode to 0. */
    @Test
    void allZeroWeightDecodesToZero() {
        for (QuantConfig config : TestWeights.FOUR_BIT) {
            try (QuantizedWeight q = quantize(new float[315], new long[] {7, 45}, config);
                 NDManager step = manager.newSubManager()) {
                assertArrayEquals(new float[315], q.dequantizeInJava(), 0f, config.label());
                assertArrayEquals(new float[315], q.dequantize(step, DataType.FLOAT32).toFloatArray(), 0f,
                        config.label());
            }
        }
        try (QuantizedWeight q = quantize(new float[6], new long[] {2, 3}, QuantConfig.int8())) {
            assertArrayEquals(new float[6], q.dequantizeInJava(), 0f);
        }
    }

    @Test
    void badShapesAreNamed() {
        float[] twelve = new float[12];
        IllegalArgumentException notTwoD = assertThrows(IllegalArgumentException.class,
                () -> quantize(twelve, new long[] {2, 3, 2}, QuantConfig.nf4(false)));
        assertTrue(notTwoD.getMessage().contains("[2, 3, 2]") && notTwoD.getMessage().contains("2-D"),
                notTwoD.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> quantize(twelve, new long[] {0, 12}, QuantConfig.int8()));
        assertTrue(zero.getMessage().contains("[0, 12]"), zero.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> QuantizedWeight.quantize(FloatBuffer.wrap(twelve, 1, 11), new long[] {3, 4},
                        QuantConfig.nf4(false), manager));
        assertTrue(mismatch.getMessage().contains("[3, 4]") && mismatch.getMessage().contains("12 values")
                && mismatch.getMessage().contains("11 remaining"), mismatch.getMessage());
    }

    @Test
    void nonFiniteValueIsNamed() {
        float[] w = new float[12];
        w[6] = Float.NaN; // row 1, column 2 of (3, 4)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quantize(w, new long[] {3, 4}, QuantConfig.fp4(true)));
        assertTrue(e.getMessage().contains("[1, 2]") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void unsupportedDtypeIsNamed() {
        try (QuantizedWeight q = quantize(new float[4], new long[] {2, 2}, QuantConfig.int8());
             NDManager step = manager.newSubManager()) {
            for (DataType bad : new DataType[] {DataType.INT32, DataType.BFLOAT16}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> q.dequantize(step, bad));
                assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("float16"),
                        e.getMessage());
            }
        }
    }

    /** Values are read from position to limit; the position is left where it was. */
    @Test
    void readsFromPositionWithoutMovingIt() {
        float[] backing = {9f, 9f, 1f, -1f, 0.5f, 0.25f, 9f};
        FloatBuffer buffer = FloatBuffer.wrap(backing, 2, 4);
        try (QuantizedWeight q = QuantizedWeight.quantize(buffer, new long[] {2, 2}, QuantConfig.int8(), manager)) {
            assertEquals(2, buffer.position());
            assertEquals(6, buffer.limit());
            float[] back = q.dequantizeInJava();
            assertEquals(1f, back[0], 1f / 254);
            assertEquals(-1f, back[1], 1f / 254);
            assertEquals(0.5f, back[2], 0.5f / 254);
            assertEquals(0.25f, back[3], 0.5f / 254);
        }
    }

    /** Each call's arrays go with the caller's manager; nothing accumulates in the weight's manager. */
    @Test
    void dequantizeLeavesNothingBehind() {
        float[] w = TestWeights.normal(3, 40, 70);
        QuantConfig[] configs = {QuantConfig.nf4(true), QuantConfig.fp4(false), QuantConfig.int8()};
        for (QuantConfig config : configs) {
            try (QuantizedWeight q = quantize(w, new long[] {40, 70}, config)) {
                int before = manager.getManagedArrays().size();
                for (int i = 0; i < 5; i++) {
                    try (NDManager step = manager.newSubManager()) {
                        q.dequantize(step, DataType.FLOAT16);
                        q.dequantize(step, DataType.FLOAT32);
                    }
                }
                assertEquals(before, manager.getManagedArrays().size(), config.label());
            }
        }
    }

    /** The stored arrays never require a gradient, so even with recording on no graph is built. */
    @Test
    void dequantizeRecordsNoGradient() {
        try (QuantizedWeight q = quantize(TestWeights.normal(5, 8, 64), new long[] {8, 64}, QuantConfig.nf4(true));
             NDManager step = manager.newSubManager();
             Autograd.Scope on = Autograd.recording(true)) {
            assertFalse(q.dequantize(step, DataType.FLOAT32).hasGradient());
            assertFalse(q.dequantize(step, DataType.FLOAT16).hasGradient());
        }
    }

    @Test
    void closeFreesAndRefuses() {
        int before = manager.getManagedArrays().size();
        QuantizedWeight q = quantize(TestWeights.normal(1, 4, 64), new long[] {4, 64}, QuantConfig.nf4(true));
        assertTrue(manager.getManagedArrays().size() > before);
        q.close();
        assertEquals(before, manager.getManagedArrays().size());
        q.close(); // twice is harmless
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> q.dequantize(manager, DataType.FLOAT32));
        assertTrue(e.getMessage().contains("(4, 64) nf4-dq-b64") && e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, q::dequantizeInJava);
    }

    @Test
    void accessors() {
        try (QuantizedWeight q = quantize(new float[6], new long[] {2, 3}, QuantConfig.fp4(true))) {
            assertArrayEquals(new long[] {2, 3}, q.shape());
            assertEquals(QuantConfig.fp4(true), q.config());
            assertEquals(manager.getDevice(), q.device());
        }
    }
}
