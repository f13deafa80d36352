package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * <p>Each tensor is widened to float32 into a direct (off-heap) buffer and handed to the engine, one
 * tensor at a time, so the Java heap never holds a copy of the weights.
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
                ByteBuffer data = ckpt.readFloat32(name);
                out.put(name, manager.create(data, new Shape(shape), DataType.FLOAT32));
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
