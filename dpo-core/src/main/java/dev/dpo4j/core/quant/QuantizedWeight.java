package dev.dpo4j.core.quant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * One quantized (O, I) weight matrix held on an engine device: a frozen base weight of a QLoRA model,
 * quantized once at load time and dequantized just before each matmul that needs it, as bitsandbytes'
 * {@code Linear4bit} / {@code Linear8bitLt} do (Dettmers et al. 2023, "QLoRA: Efficient Finetuning of
 * Quantized LLMs"; Dettmers et al. 2022, "LLM.int8(): 8-bit Matrix Multiplication for Transformers at
 * Scale", weight-only here).
 *
 * <p>Layouts: {@link BlockwiseFourBit} for NF4 / FP4 (with {@link DoubleQuantizedAbsmax} when
 * {@link QuantConfig#doubleQuant()} is on) and {@link RowwiseInt8} for INT8. Their stored arrays belong
 * to a sub-manager of the manager given to {@link #quantize}, freed by {@link #close()}.
 *
 * <pre>{@code
 * try (QuantizedWeight q = QuantizedWeight.quantize(values, new long[] {out, in}, QuantConfig.nf4(true), weights);
 *      NDManager step = weights.newSubManager()) {
 *     NDArray w = q.dequantize(step, DataType.FLOAT16); // (O, I), freed with the step
 *     NDArray y = Linear.linear(x, w, bias).singletonOrThrow();
 * }
 * }</pre>
 *
 * <p>Letters: O out features, I in features (Hugging Face's weight layout W: (O, I)).
 */
public final class QuantizedWeight implements AutoCloseable {
    /** Values decoded at a time on CPU: 2^20, so the float32 transient is 4 MiB plus the output. */
    static final long CPU_CHUNK_VALUES = 1L << 20;


    private final long[] shape;
    private final QuantConfig config;
    private final NDManager owner;
    private final PackedWeight packed;
    private boolean closed;

    private QuantizedWeight(long[] shape, QuantConfig config, NDManager owner, PackedWeight packed) {
        this.shape = shape;
        this.config = config;
        this.owner = owner;
        this.packed = packed;
    }

    /**
     * Quantizes float32 values in Java, then puts the packed data on {@code manager}'s device.
     *
     * @param values the weight, (O, I) row-major, read from {@code values.position()} to
     *     {@code limit()}; the buffer's position is left as it was
     * @param shape {@code {O, I}}, both positive, O·I equal to {@code values.remaining()}
     * @param config the format
     * @param manager the device and parent manager; the weight's arrays belong to a sub-manager of it
     * @return the quantized weight; close it to free its arrays
     * @throws IllegalArgumentException if the shape is not 2-D and positive, does not match the
     *     buffer's remaining values, or a value is NaN or infinite (the message names it)
     */
    public static QuantizedWeight quantize(FloatBuffer values, long[] shape, QuantConfig config, NDManager manager) {
        Objects.requireNonNull(values, "values must not be null");
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(manager, "manager must not be null");
        long[] s = shape.clone();
        if (s.length != 2 || s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(s)
                    + " must be 2-D (out, in) with positive sizes");
        }
        int start = values.position();
        int n = values.remaining();
        if (s[0] > n || s[1] > n || s[0] * s[1] != n) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(s) + " needs "
                    + (s[0] > n || s[1] > n ? "more than " + n : String.valueOf(s[0] * s[1]))
                    + " values but the buffer has " + n + " remaining (position " + start + ", limit "
                    + values.limit() + ")");
        }
        int rows = (int) s[0];
        int cols = (int) s[1];
        requireFinite(values, start, n, cols);
        NDManager owner = manager.newSubManager();
        try {
            PackedWeight packed = config.type() == QuantType.INT8
                    ? RowwiseInt8.quantize(values, start, rows, cols, owner)
                    : BlockwiseFourBit.quantize(values, start, rows, cols, config, owner);
            return new QuantizedWeight(s, config, owner, packed);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    private static void requireFinite(FloatBuffer values, int start, int n, int cols) {
        int rows = n / cols;
        int bad = IntStream.range(0, rows).parallel().filter(r -> {
            for (int c = 0; c < cols; c++) {
                if (!Float.isFinite(values.get(start + r * cols + c))) {
                    return true;
                }
            }
            return false;
        }).findFirst().orElse(-1);
        if (bad >= 0) {
            for (int c = 0; c < cols; c++) {
                float x = values.get(start + bad * cols + c);
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("weight value [" + bad + ", " + c + "] = " + x
                            + " is not finite; only finite weights can be quantized");
                }
            }
        }
    }

    /** @return {@code {O, I}} (a copy) */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the format */
    public QuantConfig config() {
        return config;
    }

    /** @return the device the packed data is on */
    public Device device() {
        return owner.getDevice();
    }

    /**
     * Bytes of quantized state on the device: 4-bit {@code ⌈N/2⌉ + 4·M} for M = ⌈N/K⌉ blocks, or with
     * double quantization {@code ⌈N/2⌉ + M + 4·⌈M/256⌉ + 4}; int8 {@code N + 4·O}. A 4-bit weight also
     * keeps a 2 KiB decode table, not counted.
     *
     * @return the byte count
     */
    public long storedBytes() {
        return packed.storedBytes();
    }

    /**
     * The (O, I) weight in {@code dtype}, decoded with engine ops on the weight's device: no copy through
     * Java, transient engine memory of about one float32 copy of the weight. Values are computed in
     * float32 and cast at the end (round to nearest even), as bitsandbytes dequantizes into the compute
     * dtype from float32 scales. The stored arrays never require a gradient, so no graph is recorded.
     *
     * @param manager owns the result; any manager on the weight's device
     * @param dtype FLOAT32 or FLOAT16 (BFLOAT16 is refused: DJL 0.35.1's {@code toType(BFLOAT16)} aborts
     *     the JVM on the CPU engine)
     * @return (O, I) in {@code dtype}, owned by {@code manager}
     * @throws IllegalArgumentException for another dtype or a manager on another device
     * @throws IllegalStateException after {@link #close()}
     */
    public NDArray dequantize(NDManager manager, DataType dtype) {
        requireOpen();
        Objects.requireNonNull(manager, "manager must not be null");
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("cannot dequantize " + this + " to " + dtype
                    + "; supported: float32, float16");
        }
        if (!manager.getDevice().equals(owner.getDevice())) {
            throw new IllegalArgumentException("manager is on " + manager.getDevice() + " but " + this
                    + " is on " + owner.getDevice());
        }
        // On CPU a decoded range costs no launch overhead, so the transient is kept to one range; on CUDA
        // each range is several kernels, and one pass over the whole weight is faster.
        long chunk = owner.getDevice().isGpu() ? Long.MAX_VALUE : CPU_CHUNK_VALUES;
        return dequantize(manager, dtype, chunk);
    }

    /** As {@link #dequantize(NDManager, DataType)}, decoding {@code chunkValues} values at a time. */
    NDArray dequantize(NDManager manager, DataType dtype, long chunkValues) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray weight = packed.dequantize(scratch, dtype, chunkValues); // (O, I)
            weight.attach(manager);
            return weight;
        }
    }

    /**
     * The same values as {@code dequantize(manager, FLOAT32)}, bit for bit, computed in Java from the
     * stored arrays (copied back from the device): the reference for tests and for merge-free
     * diagnostics.
     *
     * @return (O·I) float32, row-major
     * @throws IllegalStateException after {@link #close()}
     */
    public float[] dequantizeInJava() {
        requireOpen();
        return packed.dequantizeInJava();
    }

    /** @return the layout, for tests in this package */
    PackedWeight packed() {
        return packed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Frees the stored arrays; later calls to dequantize fail. Closing twice does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.close();
        }
    }

    @Override
    public String toString() {
        return "quantized weight (" + shape[0] + ", " + shape[1] + ") " + config.label();
    }
}
