package dev.dpo4j.core.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer's state as plain Java data, as {@code optimizer.state_dict()} is in PyTorch: the
 * step counts and the named float32 buffers.
 *
 * <p>Buffer names are {@code <buffer>/<parameter>} with PyTorch's buffer names, e.g.
 * {@code exp_avg/<param>} and {@code exp_avg_sq/<param>} for AdamW or
 * {@code momentum_buffer/<param>} for SGD with momentum. The float arrays are shared, not copied,
 * so that a large state is not held twice; do not modify them.
 *
 * @param optimizer the {@link Optimizer#name()} of the optimizer the state belongs to
 * @param step the number of {@link Optimizer#step} calls made
 * @param paramSteps per parameter, the number of updates it received (PyTorch's
 *     {@code state[p]["step"]}); empty for optimizers that keep none
 * @param tensors the buffers by name, row-major float32 elements
 * @param shapes the shape of each buffer, same keys as {@code tensors}
 */
public record OptimizerState(String optimizer, long step, Map<String, Long> paramSteps,
        Map<String, float[]> tensors, Map<String, long[]> shapes) {

    /**
     * Validates the state and makes its maps unmodifiable, keeping their order.
     *
     * @param optimizer the optimizer name
     * @param step the number of steps made, at least 0
     * @param paramSteps per-parameter update counts, each at least 0
     * @param tensors the buffers
     * @param shapes the buffer shapes (the arrays are copied)
     * @throws IllegalArgumentException if a count is negative, the two maps have different keys,
     *     or a buffer's length does not match its shape
     */
    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        if (step < 0) {
            throw new IllegalArgumentException("optimizer state: step must be >= 0, got " + step);
        }
        Map<String, Long> stepsCopy = new LinkedHashMap<>();
        Objects.requireNonNull(paramSteps, "paramSteps").forEach((name, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException("optimizer state: step count of '" + name
                        + "' must be >= 0, got " + count);
            }
            stepsCopy.put(name, count);
        });
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(shapes, "shapes");
        if (!tensors.keySet().equals(shapes.keySet())) {
            throw new IllegalArgumentException("optimizer state: tensors " + tensors.keySet()
                    + " and shapes " + shapes.keySet() + " name different buffers");
        }
        Map<String, float[]> tensorsCopy = new LinkedHashMap<>();
        Map<String, long[]> shapesCopy = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            String name = e.getKey();
            float[] data = Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "'");
            long[] shape = Objects.requireNonNull(shapes.get(name), () -> "shape of '" + name + "'")
                    .clone();
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("optimizer state: buffer '" + name
                            + "' has a negative dimension in " + Arrays.toString(shape));
                }
                n = Math.multiplyExact(n, d);
            }
            if (n != data.length) {
                throw new IllegalArgumentException("optimizer state: buffer '" + name
                        + "' has shape " + Arrays.toString(shape) + " (" + n
                        + " elements) but " + data.length + " values");
            }
            tensorsCopy.put(name, data);
            shapesCopy.put(name, shape);
        }
        paramSteps = Collections.unmodifiableMap(stepsCopy);
        tensors = Collections.unmodifiableMap(tensorsCopy);
        shapes = Collections.unmodifiableMap(shapesCopy);
    }

    /**
     * Returns the full buffer name for a buffer kind and a parameter.
     *
     * @param buffer the PyTorch buffer name, e.g. {@code exp_avg}
     * @param param the parameter name
     * @return {@code buffer + "/" + param}
     */
    public static String key(String buffer, String param) {
        return buffer + "/" + param;
    }

    /**
     * Compares contents, element by element for the arrays, with float values compared bit for
     * bit (as {@link Arrays#equals(float[], float[])} does).
     *
     * @param o the other object
     * @return whether both states hold the same name, counts, buffers and shapes
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OptimizerState other)) {
            return false;
        }
        if (!optimizer.equals(other.optimizer) || step != other.step
                || !paramSteps.equals(other.paramSteps)
                || !tensors.keySet().equals(other.tensors.keySet())) {
            return false;
        }
        for (String name : tensors.keySet()) {
            if (!Arrays.equals(tensors.get(name), other.tensors.get(name))
                    || !Arrays.equals(shapes.get(name), other.shapes.get(name))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(optimizer, step, paramSteps, tensors.keySet());
        for (float[] data : tensors.values()) {
            h = 31 * h + Arrays.hashCode(data);
        }
        return h;
    }

    @Override
    public String toString() {
        long elements = 0;
        for (float[] data : tensors.values()) {
            elements += data.length;
        }
        return "OptimizerState[optimizer=" + optimizer + ", step=" + step + ", params="
                + paramSteps.size() + ", buffers=" + tensors.size() + ", elements=" + elements
                + "]";
    }
}
