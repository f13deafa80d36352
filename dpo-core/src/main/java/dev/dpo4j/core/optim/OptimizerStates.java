package dev.dpo4j.core.optim;

import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsException;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.TensorInfo;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an {@link OptimizerState} to a safetensors file and reads it back unchanged.
 *
 * <p>Each buffer is one F32 tensor under its state name ({@code exp_avg/<param>} …). The counts
 * go in the {@code "__metadata__"} map, whose values are strings: {@value #FORMAT_KEY} =
 * {@value #FORMAT_VERSION}, {@value #OPTIMIZER_KEY} = the optimizer name, {@value #STEP_KEY} =
 * the step count, and {@code step/<param>} = each parameter's count. Files are written
 * atomically (see {@link SafetensorsWriter}), so a crash mid-save leaves the old file.
 *
 * <pre>{@code
 * OptimizerStates.write(dir.resolve("optimizer.safetensors"), adamw.state());
 * resumed.restore(OptimizerStates.read(dir.resolve("optimizer.safetensors")));
 * }</pre>
 */
public final class OptimizerStates {

    /** Metadata key marking an optimizer state file, with the layout version as value. */
    public static final String FORMAT_KEY = "dpo4j_optimizer_state";
    /** The layout version written. */
    public static final String FORMAT_VERSION = "1";
    /** Metadata key of the optimizer name. */
    public static final String OPTIMIZER_KEY = "optimizer";
    /** Metadata key of the number of optimizer steps. */
    public static final String STEP_KEY = "step";
    /** Prefix of the metadata keys of per-parameter step counts. */
    public static final String PARAM_STEP_PREFIX = "step/";

    private OptimizerStates() {
    }

    /**
     * Writes a state to a file, replacing it if present.
     *
     * @param file the target, e.g. {@code checkpoint-100/optimizer.safetensors}
     * @param state the state to write
     * @throws IOException if writing fails; the target is then left as it was
     */
    public static void write(Path file, OptimizerState state) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT_KEY, FORMAT_VERSION);
        metadata.put(OPTIMIZER_KEY, state.optimizer());
        metadata.put(STEP_KEY, Long.toString(state.step()));
        state.paramSteps().forEach((param, count) ->
                metadata.put(PARAM_STEP_PREFIX + param, Long.toString(count)));
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        state.tensors().forEach((name, data) ->
                tensors.put(name, WritableTensor.of(DType.F32, state.shapes().get(name), data)));
        SafetensorsWriter.write(file, tensors, metadata);
    }

    /**
     * Reads a state written by {@link #write(Path, OptimizerState)}.
     *
     * @param file the state file
     * @return the state, equal to the one written
     * @throws SafetensorsException if the file is missing or invalid, is not an optimizer state
     *     file, has a count that is not a number, or holds a buffer that is not F32
     * @throws IOException if reading fails
     */
    public static OptimizerState read(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> metadata = f.metadata();
            String version = metadata.get(FORMAT_KEY);
            if (version == null) {
                throw new SafetensorsException(file, "not an optimizer state file: metadata key '"
                        + FORMAT_KEY + "' is missing");
            }
            if (!FORMAT_VERSION.equals(version)) {
                throw new SafetensorsException(file, "optimizer state layout version '" + version
                        + "' is not supported; this version reads " + FORMAT_VERSION);
            }
            String optimizer = metadata.get(OPTIMIZER_KEY);
            if (optimizer == null) {
                throw new SafetensorsException(file, "metadata key '" + OPTIMIZER_KEY
                        + "' is missing");
            }
            long step = count(file, STEP_KEY, metadata.get(STEP_KEY));
            Map<String, Long> paramSteps = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey().startsWith(PARAM_STEP_PREFIX)) {
                    paramSteps.put(e.getKey().substring(PARAM_STEP_PREFIX.length()),
                            count(file, e.getKey(), e.getValue()));
                }
            }
            Map<String, float[]> tensors = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (TensorInfo info : f.tensors().values()) {
                if (info.dtype() != DType.F32) {
                    throw new SafetensorsException(file, info.name(), "optimizer state buffers "
                            + "must be F32 to resume exactly, found " + info.dtype());
                }
                tensors.put(info.name(), f.readFloatArray(info.name()));
                shapes.put(info.name(), info.shape());
            }
            try {
                return new OptimizerState(optimizer, step, paramSteps, tensors, shapes);
            } catch (IllegalArgumentException e) {
                throw new SafetensorsException(file, null, e.getMessage(), e);
            }
        }
    }

    private static long count(Path file, String key, String value) throws SafetensorsException {
        if (value == null) {
            throw new SafetensorsException(file, "metadata key '" + key + "' is missing");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new SafetensorsException(file, null, "metadata '" + key + "' is not a step "
                    + "count: '" + value + "'", e);
        }
    }
}
