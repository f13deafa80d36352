package dev.dpo4j.core.quant;

import static dev.dpo4j.core.quant.EngineArrays.scratch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * QLoRA's double quantization ("DQ", Dettmers et al. 2023, section 3): the M float32 block absmax
 * values of a 4-bit weight stored in 8 bits each.
 *
 * <p>As in bitsandbytes' {@code quantize_4bit(compress_statistics=True)}, the mean of the absmax values
 * is subtracted first (one float32 offset per weight) and the centred values are quantized in groups of
 * {@value #GROUP_SIZE} blocks, each group with its own float32 scale. bitsandbytes then encodes each
 * centred value with its dynamic 8-bit map ({@code create_dynamic_map}); dpo4j uses symmetric linear
 * int8 instead, which engine ops decode without a table:
 *
 * <pre>
 *   offset  = mean(a)                                  (float32, rounded from a double sum)
 *   s_g     = max over group g of |a_b − offset| / 127 (float32)
 *   q_b     = clamp(rint((a_b − offset) / s_g), −127, 127), 0 when s_g = 0   (int8)
 *   a'_b    = q_b · s_g + offset                       (two float32 roundings, multiply then add)
 * </pre>
 *
 * <p>Error bound: {@code |a_b − a'_b| ≤ s_g / 2 = max_g|a − offset| / 254}, plus a few float32 ulps of
 * the absmax values. On a 4-bit value this adds at most that much, since every code value is in
 * [−1, 1]. bitsandbytes' dynamic map is finer near zero and coarser near the group maximum (about
 * 1/128 of it against 1/254 here). Storage: M + 4·G + 4 bytes for G = ⌈M/256⌉ groups, against 4·M.
 *
 * <p>Letters: M blocks (absmax values), G groups of {@value #GROUP_SIZE}.
 */
final class DoubleQuantizedAbsmax {

    /** Blocks per group sharing one scale, as bitsandbytes' {@code quantize_blockwise(blocksize=256)}. */
    static final int GROUP_SIZE = 256;

    private final int blocks;
    private final int groups;
    /** (M) int8 */
    private final NDArray codes;
    /** (G) float32 */
    private final NDArray scales;
    /** (1) float32 */
    private final NDArray offset;

    private DoubleQuantizedAbsmax(int blocks, NDArray codes, NDArray scales, NDArray offset) {
        this.blocks = blocks;
        this.groups = Math.toIntExact(scales.size());
        this.codes = codes;
        this.scales = scales;
        this.offset = offset;
    }

    /**
     * Compresses absmax values in Java and stores the result under {@code owner}.
     *
     * @param absmax (M) block absmax values, each ≥ 0 and finite
     * @param owner the manager that owns the stored arrays
     * @return the compressed scales
     */
    static DoubleQuantizedAbsmax compress(float[] absmax, NDManager owner) {
        int m = absmax.length;
        int g = Math.floorDiv(m + GROUP_SIZE - 1, GROUP_SIZE);
        double sum = 0;
        for (float a : absmax) {
            sum += a;
        }
        float mean = (float) (sum / m);
        float[] groupScales = new float[g];
        ByteBuffer q = ByteBuffer.allocateDirect(m);
        for (int group = 0; group < g; group++) {
            int from = group * GROUP_SIZE;
            int to = Math.min(from + GROUP_SIZE, m);
            float maxDeviation = 0f;
            for (int b = from; b < to; b++) {
                maxDeviation = Math.max(maxDeviation, Math.abs(absmax[b] - mean));
            }
            float scale = maxDeviation / 127f;
            groupScales[group] = scale;
            for (int b = from; b < to; b++) {
                double code = scale == 0f ? 0 : Math.rint((absmax[b] - mean) / scale);
                q.put(b, (byte) Math.max(-127, Math.min(127, code)));
            }
        }
        NDArray codes = EngineArrays.uploadAndFree(owner, q, new Shape(m), DataType.INT8);
        NDArray scales = EngineArrays.upload(owner, FloatBuffer.wrap(groupScales), new Shape(g), DataType.FLOAT32);
        NDArray offset = EngineArrays.upload(owner, FloatBuffer.wrap(new float[] {mean}), new Shape(1),
                DataType.FLOAT32);
        return new DoubleQuantizedAbsmax(m, codes, scales, offset);
    }

    /** @return M + 4·G + 4: the int8 codes, the group scales and the offset */
    long storedBytes() {
        return blocks + 4L * groups + 4L;
    }

    /**
     * The decoded absmax values on the engine.
     *
     * @param scratch the per-call manager; owns every array made here
     * @return (M, 1) float32
     */
    NDArray decode(NDManager scratch) {
        int padded = groups * GROUP_SIZE;
        // (M) int8 -> (M) float32
        NDArray q = scratch(codes.toType(DataType.FLOAT32, false), scratch);
        if (padded > blocks) {
            // (M) -> (G·256): zeros fill the last group
            q = q.concat(scratch.zeros(new Shape(padded - blocks), DataType.FLOAT32));
        }
        // (G) -> (G, 1)
        NDArray groupScales = scratch(scales.reshape(groups, 1), scratch);
        // (G, 256) · (G, 1) + (1) -> (G, 256): a' = q·s + offset
        NDArray decoded = q.reshape(groups, GROUP_SIZE).mul(groupScales).add(offset);
        // (G, 256) -> (G·256) -> first M -> (M, 1)
        return decoded.reshape(padded).get(new NDIndex("0:{}", blocks)).reshape(blocks, 1);
    }

    /**
     * The decoded absmax values in Java, by the same float32 operations as {@link #decode}.
     *
     * @return (M) float32
     */
    float[] decodeInJava() {
        byte[] q = codes.toByteArray();
        float[] s = scales.toFloatArray();
        float off = offset.toFloatArray()[0];
        float[] out = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            float product = q[b] * s[b / GROUP_SIZE];
            out[b] = product + off;
        }
        return out;
    }
}
