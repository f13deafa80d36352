package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.quant.QuantizedWeight;
import dev.dpo4j.core.safetensors.HalfFloats;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.util.DirectBuffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Strict loading of a checkpoint into engine tensors: every expected tensor present with its exact
 * shape, every stored tensor used (or known to be ignorable), loud failure otherwise; then each tensor
 * placed as {@link LoadOptions} ask.
 *
 * <p>Placement. Projection weights of the decoder layers are quantized when the options say so; norm
 * weights stay float32 (RMSNorm runs in float32); everything else takes the options' dtype. A tensor
 * with a value float16 cannot hold (|x| ≥ 65520, which rounds to infinity) is kept in float32 rather
 * than turned into infinities, and a note names it; its projection then computes in float32 and casts
 * its output back.
 *
 * <p>Memory. Values are widened to float32 into one reused direct (off-heap) staging buffer and, for
 * float16, narrowed in Java into a second one, then copied by the engine into memory it owns: the Java
 * heap never holds the weights. A dense tensor larger than {@value #CHUNK_ELEMENTS} elements is staged
 * in row chunks into a preallocated engine tensor, so no tensor is limited to 2 GiB and the transient
 * memory stays small next to the model; a quantized tensor (a projection, at most a few hundred MiB
 * even at 8B scale) is staged whole, since its blocks run across rows.
 */
final class WeightLoader {
    /** Elements staged at once for a dense tensor: 16 MiB as float32 (a small transient next to any model). */
    static final int CHUNK_ELEMENTS = 4 * 1024 * 1024;
    /** The smallest magnitude float16 rounds to infinity (65504 is its largest finite value). */
    private static final float F16_OVERFLOW = 65520f;

    private WeightLoader() {
    }

    /** What loading produced. */
    record Loaded(Map<String, NDArray> dense, Map<String, QuantizedWeight> quantized, List<String> notes) {
    }

    static Loaded load(Path dir, ModelConfig config, LoadOptions options, NDManager manager) {
        Map<String, long[]> expected = WeightNames.expected(config);
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            List<String> unused = ckpt.names().stream()
                    .filter(n -> !expected.containsKey(n) && !WeightNames.ignorable(n, config))
                    .sorted()
                    .collect(Collectors.toList());
            if (!unused.isEmpty()) {
                throw new ModelLoadException("checkpoint " + dir + ": " + unused.size()
                        + " tensor(s) not used by a " + config.modelType().hfName() + " model of this config: "
                        + preview(unused));
            }
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                String name = e.getKey();
                if (!ckpt.names().contains(name)) {
                    throw new ModelLoadException("checkpoint " + dir + ": missing tensor " + name + " (expected shape "
                            + Arrays.toString(e.getValue()) + ")");
                }
                long[] shape = ckpt.info(name).shape();
                if (!Arrays.equals(shape, e.getValue())) {
                    throw new ModelLoadException("checkpoint " + dir + ": tensor " + name + " has shape "
                            + Arrays.toString(shape) + " but config.json implies " + Arrays.toString(e.getValue()));
                }
            }
            WeightSource checked = (name, first, count, dst) -> {
                int start = dst.position();
                ckpt.readFloat32Into(name, first, count, dst);
                requireFinite(dst, start, count, first, name, () -> fileOf(ckpt, name));
            };
            return place(config, options, manager, checked, "checkpoint " + dir);
        } catch (IOException e) {
            throw new ModelLoadException("checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Places every tensor {@link WeightNames#expected} lists, reading its values from a source.
     *
     * @param config the architecture
     * @param options dtype and quantization
     * @param manager owns the tensors
     * @param source the values
     * @param label what the values are, for messages
     * @return the tensors
     * @throws IOException if reading fails
     */
    static Loaded place(ModelConfig config, LoadOptions options, NDManager manager, WeightSource source, String label)
            throws IOException {
        return place(config, options, manager, source, label, CHUNK_ELEMENTS);
    }

    /** As above, staging dense tensors {@code chunkElements} at a time (tests use small chunks). */
    static Loaded place(ModelConfig config, LoadOptions options, NDManager manager, WeightSource source, String label,
                        int chunkElements) throws IOException {
        Map<String, long[]> expected = WeightNames.expected(config);
        Set<String> quantizable = options.quantization() == null ? Set.of() : WeightNames.projectionWeights(config);
        long largest = 0;
        long largestChunk = 0;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long n = count(e.getValue());
            long chunk = Math.min(n, rowsPerChunk(e.getValue(), chunkElements) * columns(e.getValue()));
            largest = Math.max(largest, quantizable.contains(e.getKey()) ? n : chunk);
            largestChunk = Math.max(largestChunk, chunk);
        }
        if (largest * Float.BYTES > Integer.MAX_VALUE) {
            throw new ModelLoadException(label + ": a projection of " + largest + " values is over 2 GiB as float32,"
                    + " which cannot be staged for quantization");
        }
        ByteBuffer staging = ByteBuffer.allocateDirect((int) largest * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer halves = options.dtype() == Precision.FLOAT16
                ? ByteBuffer.allocateDirect((int) largestChunk * 2).order(ByteOrder.LITTLE_ENDIAN)
                : null;
        try {
            return place(expected, options, manager, source, label, chunkElements, staging, halves, quantizable);
        } finally {
            DirectBuffers.free(staging); // every tensor made from them has been copied by the engine
            DirectBuffers.free(halves);
        }
    }

    private static Loaded place(Map<String, long[]> expected, LoadOptions options, NDManager manager,
                                WeightSource source, String label, int chunkElements, ByteBuffer staging,
                                ByteBuffer halves, Set<String> quantizable) throws IOException {
        Map<String, NDArray> dense = new LinkedHashMap<>();
        Map<String, QuantizedWeight> quantized = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            if (quantizable.contains(name)) {
                staging.clear();
                source.read(name, 0, (int) count(shape), staging);
                staging.flip();
                FloatBuffer values = staging.asFloatBuffer();
                try {
                    quantized.put(name, QuantizedWeight.quantize(values, shape, options.quantization(), manager));
                } catch (IllegalArgumentException bad) {
                    throw new ModelLoadException(label + ": tensor " + name + ": " + bad.getMessage(), bad);
                }
                continue;
            }
            boolean half = options.dtype() == Precision.FLOAT16 && !name.endsWith("norm.weight"); // norms: float32
            NDArray tensor = half ? dense(name, shape, true, manager, source, staging, halves, chunkElements) : null;
            if (tensor == null) {
                if (half) {
                    notes.add(label + ": tensor " + name + " holds values beyond float16's range (|x| >= 65520); it is"
                            + " kept in float32 and computed in float32, its output cast to float16");
                }
                tensor = dense(name, shape, false, manager, source, staging, null, chunkElements);
            }
            dense.put(name, tensor);
        }
        return new Loaded(dense, quantized, notes);
    }

    /**
     * One dense tensor, in row chunks: float32, or float16 narrowed in Java. Returns {@code null} for
     * float16 when a value would overflow it.
     */
    private static NDArray dense(String name, long[] shape, boolean half, NDManager manager, WeightSource source,
                                 ByteBuffer staging, ByteBuffer halves, int chunkElements) throws IOException {
        long cols = columns(shape);
        long rowsPerChunk = rowsPerChunk(shape, chunkElements);
        long rows = shape.length > 1 ? shape[0] : 1;
        DataType type = half ? DataType.FLOAT16 : DataType.FLOAT32;
        NDArray target = null;
        try {
            for (long r0 = 0; r0 < rows; r0 += rowsPerChunk) {
                long r1 = Math.min(rows, r0 + rowsPerChunk);
                int count = (int) ((r1 - r0) * cols);
                staging.clear();
                source.read(name, r0 * cols, count, staging);
                staging.flip();
                ByteBuffer data = staging;
                if (half) {
                    if (!narrow(staging.asFloatBuffer(), count, halves)) {
                        if (target != null) {
                            target.close();
                        }
                        return null;
                    }
                    data = halves;
                }
                long[] chunkShape = shape.clone();
                if (shape.length > 1) {
                    chunkShape[0] = r1 - r0;
                }
                try (NDArray shared = manager.create(data, new Shape(chunkShape), type)) {
                    if (r0 == 0 && r1 == rows) {
                        return shared.duplicate(); // engine-owned copy; the staging buffer is reused
                    }
                    if (target == null) {
                        target = manager.zeros(new Shape(shape), type);
                    }
                    target.set(new NDIndex("{}:{}", r0, r1), shared);
                }
            }
            return target;
        } catch (RuntimeException e) {
            if (target != null) {
                target.close();
            }
            throw e;
        }
    }

    /**
     * Refuses a NaN or infinite weight, naming the file and the tensor: a broken checkpoint (a failed
     * conversion or download) would otherwise surface as "loss is NaN" at step 1, or as token 0s.
     *
     * @param values the buffer just filled, little-endian float32
     * @param start the position where the values start
     * @param count how many were read
     * @param firstElement the tensor element of the first value
     * @param name the tensor
     * @param file names the file holding it, computed only for the message
     */
    static void requireFinite(ByteBuffer values, int start, int count, long firstElement, String name,
                              java.util.function.Supplier<String> file) {
        for (int i = 0; i < count; i++) {
            float v = values.getFloat(start + 4 * i);
            if (!Float.isFinite(v)) {
                throw new ModelLoadException(file.get() + ": tensor " + name + " holds " + v + " at element "
                        + (firstElement + i) + "; a model with non-finite weights cannot be trained or run (was the"
                        + " file converted or downloaded whole?)");
            }
        }
    }

    private static String fileOf(SafetensorsCheckpoint ckpt, String name) {
        return ckpt.files().stream().filter(f -> f.contains(name)).map(f -> f.path().toString()).findFirst()
                .orElse(ckpt.path().toString());
    }

    /** float32 → float16 (round to nearest even) into {@code out}; false when a value would overflow. */
    private static boolean narrow(FloatBuffer in, int count, ByteBuffer out) {
        out.clear();
        ShortBuffer shorts = out.asShortBuffer();
        for (int i = 0; i < count; i++) {
            float v = in.get(i);
            if (Math.abs(v) >= F16_OVERFLOW && !Float.isInfinite(v)) {
                return false;
            }
            shorts.put(i, HalfFloats.floatToHalf(v));
        }
        out.limit(count * 2);
        return true;
    }

    /** Elements per row (per first-axis index); a 1-D tensor is one row. */
    private static long columns(long[] shape) {
        return shape.length > 1 ? count(shape) / shape[0] : count(shape);
    }

    /** Rows staged at once: as many as fit in {@code chunkElements}, at least one. */
    private static long rowsPerChunk(long[] shape, int chunkElements) {
        return Math.max(1, chunkElements / Math.max(1, columns(shape)));
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static String preview(List<String> names) {
        List<String> head = names.subList(0, Math.min(5, names.size()));
        return String.join(", ", head) + (names.size() > head.size() ? ", …" : "");
    }
}
