package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Strict loading of a checkpoint into engine tensors: every expected tensor present with its exact
 * shape, every stored tensor used (or known to be ignorable), loud failure otherwise.
 *
 * <p>Each tensor is widened to float32 into one reused direct (off-heap) staging buffer, sized for the
 * largest tensor, and copied by the engine into memory it owns. The Java heap never holds a copy of the
 * weights, and at most one extra copy of the largest tensor exists while loading. (An engine tensor made
 * from a direct buffer shares that buffer's memory, so the copy also keeps the weights out of the JVM's
 * direct-memory limit.)
 */
final class WeightLoader {
    private WeightLoader() {
    }

    static Map<String, NDArray> load(Path dir, ModelConfig config, NDManager manager) {
        Map<String, long[]> expected = WeightNames.expected(config);
        Map<String, NDArray> out = new LinkedHashMap<>();
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
            long largest = 0;
            for (String name : expected.keySet()) {
                if (ckpt.contains(name)) {
                    largest = Math.max(largest, ckpt.info(name).numElements() * Float.BYTES);
                }
            }
            if (largest > Integer.MAX_VALUE) {
                throw new ModelLoadException("checkpoint " + dir + ": a tensor is larger than 2 GiB as float32,"
                        + " which this loader cannot stage");
            }
            ByteBuffer staging = ByteBuffer.allocateDirect((int) largest).order(ByteOrder.LITTLE_ENDIAN);
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
                staging.clear();
                ckpt.readFloat32Into(name, staging);
                staging.flip();
                try (NDArray shared = manager.create(staging, new Shape(shape), DataType.FLOAT32)) {
                    out.put(name, shared.duplicate()); // engine-owned copy; the staging buffer is reused
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("checkpoint " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String preview(List<String> names) {
        List<String> head = names.subList(0, Math.min(5, names.size()));
        return String.join(", ", head) + (names.size() > head.size() ? ", …" : "");
    }
}
