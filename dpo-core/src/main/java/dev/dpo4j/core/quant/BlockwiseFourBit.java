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
 * Blockwise 4-bit quantization of a weight, NF4 or FP4, as bitsandbytes' {@code quantize_4bit} and
 * {@code dequantize_4bit} (Dettmers et al. 2023, "QLoRA: Efficient Finetuning of Quantized LLMs").
 *
 * <p>The (O, I) weight is flattened row-major into N values and cut into M blocks of K values; the last
 * block may be partial and is padded with zeros, which are encoded but never decoded into the result.
 * Each block stores its absmax {@code a} (float32, or compressed by {@link DoubleQuantizedAbsmax}); each
 * value x stores the index of the code value nearest {@code x / a} ({@link FourBitCode}; a block of
 * zeros has a = 0 and all its values encode 0). Two indices share a byte, the first value in the high
 * nibble, as bitsandbytes packs them. Decoding is {@code x̂ = code[index] · a}.
 *
 * <p>Error bound, per value: {@code |x − x̂| ≤ (largest gap between neighbouring code values)/2 · a}
 * (NF4: the gap from −1 to −0.6962, so 0.1519·a; FP4: from 2/3 to 1, so 0.1667·a), plus the absmax
 * error with double quantization, plus float32 rounding.
 *
 * <p>Engine decoding uses plain ops: (P) uint8 → (P) int32 (a uint8 index would be a boolean mask in
 * torch) → gather from a (256, 2) table holding each byte's two values → (M, K) times (M, 1) absmax,
 * in place → first N values → (O, I). Transient memory: the int32 indices (half the float32 output,
 * freed before the multiply) and the float32 result itself.
 *
 * <p>Letters: O out features, I in features, N = O·I values, K block size, M = ⌈N/K⌉ blocks,
 * P = ⌈N/2⌉ packed bytes.
 */
final class BlockwiseFourBit implements PackedWeight {
    /** Blocks one parallel task encodes (64 Ki values at blocksize 64). */
    private static final int BLOCKS_PER_TASK = 1024;

    private final FourBitCode code;
    private final int rows;
    private final int cols;
    private final int n;
    private final int blockSize;
    private final int blocks;
    /** (P) uint8, two indices per byte, first value in the high nibble */
    private final NDArray packed;
    /** (256, 2) float32: byte b decodes to {@code (code[b >>> 4], code[b & 15])} */
    private final NDArray pairTable;
    /** (M) float32 absmax, or null with double quantization */
    private final NDArray absmax;
    /** the compressed absmax with double quantization, or null */
    private final DoubleQuantizedAbsmax compressedAbsmax;

    private BlockwiseFourBit(FourBitCode code, int rows, int cols, int blockSize, NDArray packed,
            NDArray pairTable, NDArray absmax, DoubleQuantizedAbsmax compressedAbsmax) {
        this.code = code;
        this.rows = rows;
        this.cols = cols;
        this.n = rows * cols;
        this.blockSize = blockSize;
        this.blocks = ceilDiv(n, blockSize);
        this.packed = packed;
        this.pairTable = pairTable;
        this.absmax = absmax;
        this.compressedAbsmax = compressedAbsmax;
    }

    /**
     * Quantizes in Java and stores the result under {@code owner}.
     *
     * @param values N finite float32 values, row-major, read from {@code start} (absolute gets; the
     *     caller has checked they are finite)
     * @param start the index of the first value in {@code values}
     * @param rows O
     * @param cols I
     * @param config a 4-bit configuration
     * @param owner the manager that owns the stored arrays
     * @return the packed weight
     */
    static BlockwiseFourBit quantize(FloatBuffer values, int start, int rows, int cols, QuantConfig config,
            NDManager owner) {
        FourBitCode code = FourBitCode.of(config.type());
        int n = rows * cols;
        int k = config.blockSize();
        int m = ceilDiv(n, k);
        float[] blockAbsmax = new float[m];
        ByteBuffer bytes = ByteBuffer.allocateDirect(ceilDiv(n, 2));
        int zero = code.zeroIndex();
        // Blocks are independent: ranges of them are encoded in parallel (absolute reads of the input,
        // absolute writes to disjoint bytes), which makes loading an 8B base minutes shorter.
        IntStream.range(0, ceilDiv(m, BLOCKS_PER_TASK)).parallel().forEach(task -> {
            int last = Math.min(m, (task + 1) * BLOCKS_PER_TASK);
            for (int b = task * BLOCKS_PER_TASK; b < last; b++) {
                int from = b * k;
                int to = Math.min(from + k, n);
                float a = 0f;
                for (int i = from; i < to; i++) {
                    a = Math.max(a, Math.abs(values.get(start + i)));
                }
                blockAbsmax[b] = a;
                // K is even, so every block starts on a byte; only an odd N leaves a last half byte (padding)
                for (int i = from; i < to; i += 2) {
                    int high = code.encode(normalized(values.get(start + i), a));
                    int low = i + 1 < to ? code.encode(normalized(values.get(start + i + 1), a)) : zero;
                    bytes.put(i >>> 1, (byte) (high << 4 | low));
                }
            }
        });
        NDArray packed = EngineArrays.uploadAndFree(owner, bytes, new Shape(bytes.capacity()), DataType.UINT8);
        NDArray table = EngineArrays.upload(owner, FloatBuffer.wrap(code.pairTable()), new Shape(256, 2),
                DataType.FLOAT32);
        if (config.doubleQuant()) {
            return new BlockwiseFourBit(code, rows, cols, k, packed, table, null,
                    DoubleQuantizedAbsmax.compress(blockAbsmax, owner));
        }
        NDArray absmax = EngineArrays.upload(owner, FloatBuffer.wrap(blockAbsmax), new Shape(m), DataType.FLOAT32);
        return new BlockwiseFourBit(code, rows, cols, k, packed, table, absmax, null);
    }

    private static float normalized(float x, float absmax) {
        return absmax == 0f ? 0f : x / absmax;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * {@inheritDoc}
     *
     * @return P + 4·M, or P + M + 4·G + 4 with double quantization; the 2 KiB decode table each weight
     *     keeps beside them is not counted
     */
    @Override
    public long storedBytes() {
        long scales = compressedAbsmax != null ? compressedAbsmax.storedBytes() : 4L * blocks;
        return packed.size() + scales;
    }

    /** The whole weight decoded in float32, (O, I), owned by {@code scratch}. */
    private NDArray decodeAll(NDManager scratch) {
        // (M, K) -> (M·K) -> first N -> (O, I)
        return decodeBlocks(scratch, blockAbsmax(scratch), 0, blocks).reshape((long) blocks * blockSize)
                .get(new NDIndex("0:{}", n)).reshape(rows, cols);
    }

    @Override
    public NDArray dequantize(NDManager scratch, DataType dtype, long chunkValues) {
        int perChunk = (int) Math.max(1, Math.min(blocks, chunkValues / blockSize));
        if (perChunk >= blocks) {
            return scratch(decodeAll(scratch).toType(dtype, false), scratch);
        }
        NDArray absmaxAll = blockAbsmax(scratch); // (M, 1), small
        NDArray out = scratch.create(new Shape(n), dtype); // (N), filled chunk by chunk
        for (int b0 = 0; b0 < blocks; b0 += perChunk) {
            int b1 = Math.min(blocks, b0 + perChunk);
            long from = (long) b0 * blockSize;
            long to = Math.min(n, (long) b1 * blockSize);
            try (NDManager chunk = scratch.newSubManager()) {
                NDArray values = decodeBlocks(chunk, absmaxAll, b0, b1).reshape((long) (b1 - b0) * blockSize);
                out.set(new NDIndex("{}:{}", from, to), values.get(new NDIndex("0:{}", to - from))); // cast on copy
            }
        }
        return out.reshape(rows, cols);
    }

    /**
     * Blocks [b0, b1) as float32 (b1 − b0, K) on the engine: each packed byte's two values from the pair
     * table, times the block's absmax; the last block's padding (past N) decodes to 0.
     */
    private NDArray decodeBlocks(NDManager scratch, NDArray absmaxAll, int b0, int b1) {
        long byte0 = (long) b0 * blockSize / 2;
        long byte1 = Math.min(packed.size(), (long) b1 * blockSize / 2);
        long padded = (long) (b1 - b0) * blockSize;
        NDArray bytes = b0 == 0 && byte1 == packed.size() ? packed
                : scratch(packed.get(new NDIndex("{}:{}", byte0, byte1)), scratch);
        // (P) uint8 -> (P) int32: indices, not a mask
        NDArray index = scratch(bytes.toType(DataType.INT32, false), scratch);
        // (P) -> (P, 2): each byte's two values, high nibble first
        NDArray pairs = scratch(pairTable.get(index), scratch);
        index.close();
        // (P, 2) -> (2P), the values in weight order (2P is N, or N + 1 when N is odd)
        NDArray flat = pairs.reshape(2 * (byte1 - byte0));
        if (padded > flat.size()) {
            // (2P) -> (B·K): zeros fill the last block
            flat = flat.concat(scratch.zeros(new Shape(padded - flat.size()), DataType.FLOAT32));
        }
        NDArray scale = b0 == 0 && b1 == blocks ? absmaxAll
                : scratch(absmaxAll.get(new NDIndex("{}:{}", b0, b1)), scratch); // (B, 1)
        // (B·K) -> (B, K) · (B, 1), in place: x̂ = code · absmax
        return flat.reshape(b1 - b0, blockSize).muli(scale);
    }

    /** (M, 1) float32 absmax on the engine, decoded from DQ when it is on. */
    private NDArray blockAbsmax(NDManager scratch) {
        if (compressedAbsmax != null) {
            return compressedAbsmax.decode(scratch);
        }
        // (M) -> (M, 1)
        return scratch(absmax.reshape(blocks, 1), scratch);
    }

    @Override
    public float[] dequantizeInJava() {
        byte[] bytes = packed.toByteArray();
        float[] a = compressedAbsmax != null ? compressedAbsmax.decodeInJava() : absmax.toFloatArray();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = code.value(nibble(bytes, i)) * a[i / blockSize];
        }
        return out;
    }

    /**
     * The 4-bit index of value i: the high nibble of byte i/2 for even i, the low nibble for odd i.
     *
     * @param bytes the packed bytes
     * @param i a value index in [0, N)
     * @return the index in [0, 16)
     */
    static int nibble(byte[] bytes, int i) {
        int b = bytes[i >>> 1] & 0xFF;
        return (i & 1) == 0 ? b >>> 4 : b & 0xF;
    }

    /** @return a copy of the packed bytes, (P); for tests of the nibble order */
    byte[] packedBytes() {
        return packed.toByteArray();
    }
}
