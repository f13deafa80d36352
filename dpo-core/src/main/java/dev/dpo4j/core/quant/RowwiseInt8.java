package dev.dpo4j.core.quant;

import static dev.dpo4j.core.quant.EngineArrays.scratch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Weight-only int8 with one absmax per output row: the vector-wise quantization of Dettmers et al.
 * 2022, "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale", applied to the weight
 * alone. LLM.int8()'s mixed-precision decomposition (outlier feature columns of the activations kept
 * in float16) is not done: activations are never quantized here, so there is nothing to decompose.
 *
 * <p>Per row r: {@code a_r = max |W[r, :]|}, scale {@code s_r = a_r / 127} (float32),
 * {@code q = clamp(rint(W / s_r), −127, 127)} stored as int8 (all 0 when a_r = 0), and
 * {@code Ŵ = q · s_r}. Error bound: {@code |W − Ŵ| ≤ s_r / 2 = a_r / 254}, plus float32 rounding.
 * Storage: N + 4·O bytes.
 *
 * <p>Letters: O out features (rows), I in features, N = O·I.
 */
final class RowwiseInt8 implements PackedWeight {

    private final int rows;
    private final int cols;
    /** (O, I) int8 */
    private final NDArray codes;
    /** (O) float32, a_r / 127 */
    private final NDArray scales;

    private RowwiseInt8(int rows, int cols, NDArray codes, NDArray scales) {
        this.rows = rows;
        this.cols = cols;
        this.codes = codes;
        this.scales = scales;
    }

    /**
     * Quantizes in Java and stores the result under {@code owner}.
     *
     * @param values O·I finite float32 values, row-major, read from {@code start} (absolute gets)
     * @param start the index of the first value in {@code values}
     * @param rows O
     * @param cols I
     * @param owner the manager that owns the stored arrays
     * @return the packed weight
     */
    static RowwiseInt8 quantize(FloatBuffer values, int start, int rows, int cols, NDManager owner) {
        float[] rowScales = new float[rows];
        ByteBuffer q = ByteBuffer.allocateDirect(rows * cols);
        IntStream.range(0, rows).parallel().forEach(r -> { // rows are independent: disjoint reads and writes
            int from = start + r * cols;
            float a = 0f;
            for (int c = 0; c < cols; c++) {
                a = Math.max(a, Math.abs(values.get(from + c)));
            }
            float scale = a / 127f;
            rowScales[r] = scale;
            for (int c = 0; c < cols; c++) {
                double code = scale == 0f ? 0 : Math.rint(values.get(from + c) / scale);
                q.put(r * cols + c, (byte) Math.max(-127, Math.min(127, code)));
            }
        });
        NDArray codes = EngineArrays.uploadAndFree(owner, q, new Shape(rows, cols), DataType.INT8);
        NDArray scales = EngineArrays.upload(owner, FloatBuffer.wrap(rowScales), new Shape(rows), DataType.FLOAT32);
        return new RowwiseInt8(rows, cols, codes, scales);
    }

    /** @return N + 4·O: the int8 codes and one float32 scale per row */
    @Override
    public long storedBytes() {
        return (long) rows * cols + 4L * rows;
    }

    @Override
    public NDArray dequantize(NDManager scratch, DataType dtype, long chunkValues) {
        int perChunk = (int) Math.max(1, Math.min(rows, chunkValues / cols));
        if (perChunk >= rows) {
            return scratch(decodeRows(scratch, 0, rows).toType(dtype, false), scratch);
        }
        NDArray out = scratch.create(new Shape(rows, cols), dtype); // (O, I), filled rows at a time
        for (int r0 = 0; r0 < rows; r0 += perChunk) {
            int r1 = Math.min(rows, r0 + perChunk);
            try (NDManager chunk = scratch.newSubManager()) {
                out.set(new NDIndex("{}:{}", r0, r1), decodeRows(chunk, r0, r1)); // converted on the copy
            }
        }
        return out;
    }

    /** Rows [r0, r1) decoded in float32, (R, I), owned by {@code scratch}: q · absmax_row / 127. */
    private NDArray decodeRows(NDManager scratch, int r0, int r1) {
        boolean all = r0 == 0 && r1 == rows;
        NDIndex range = new NDIndex("{}:{}", r0, r1);
        // DJL gives an op's result to its operand's manager: each result from a stored array moves to scratch
        NDArray q = all ? codes : scratch(codes.get(range), scratch); // (R, I) int8
        NDArray s = all ? scales : scratch(scales.get(range), scratch); // (R)
        NDArray column = scratch(s.reshape(r1 - r0, 1), scratch); // (R, 1)
        return scratch(q.toType(DataType.FLOAT32, false), scratch).muli(column);
    }

    @Override
    public float[] dequantizeInJava() {
        byte[] q = codes.toByteArray();
        float[] s = scales.toFloatArray();
        float[] out = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i] * s[i / cols];
        }
        return out;
    }
}
