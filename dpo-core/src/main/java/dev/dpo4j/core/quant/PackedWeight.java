package dev.dpo4j.core.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One storage layout of a quantized (O, I) weight: its arrays on the device (owned by the
 * {@link QuantizedWeight}'s manager, which frees them) and its two decoders, on the engine and in Java,
 * which must give the same float32 values bit for bit.
 *
 * <p>Implementations: {@link BlockwiseFourBit} (NF4 / FP4, QLoRA) and {@link RowwiseInt8} (LLM.int8()'s
 * vector-wise quantization, weight only).
 */
interface PackedWeight {

    /** @return bytes of quantized state on the device: codes, scales and offsets */
    long storedBytes();

    /**
     * Decodes on the engine into {@code dtype}, a range of values at a time: the float32 values of each
     * range are written (converted, round to nearest even) into one output array, so the transient memory
     * is one range's worth instead of a float32 copy of the whole weight; one range is the whole weight
     * decoded in float32 and converted. Every array it creates, the result included, belongs to
     * {@code scratch}; the stored arrays are left as they are.
     *
     * @param scratch a manager on the weight's device; owns the result
     * @param dtype FLOAT32 or FLOAT16
     * @param chunkValues about how many values to decode at a time (rounded to whole blocks or rows)
     * @return (O, I) in {@code dtype}
     */
    NDArray dequantize(NDManager scratch, DataType dtype, long chunkValues);

    /**
     * Decodes in Java with the same float32 operations in the same order as {@link #dequantize}, so the
     * engine's float32 result equals it bit for bit.
     *
     * @return (O·I) float32, row-major
     */
    float[] dequantizeInJava();
}
