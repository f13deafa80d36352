package dev.dpo4j.core.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named engine buffers of one optimizer ({@code exp_avg/<param>} …), owned by a manager the
 * optimizer holds. A buffer restored from an {@link OptimizerState} stays a Java array until the
 * next step needs it and then moves to its parameter's device, so restoring does not need the
 * parameters at hand.
 */
final class StateBuffers implements AutoCloseable {

    /** One buffer: on the engine, or restored and not yet on the engine. */
    private static final class Slot {
        private NDArray array;
        private float[] data;
        private long[] shape;
    }

    private final String owner;
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private boolean closed;

    /**
     * Creates an empty set of buffers.
     *
     * @param owner the optimizer name, used in error messages
     */
    StateBuffers(String owner) {
        this.owner = owner;
    }

    /**
     * Returns a buffer on the engine, moving a restored one onto {@code like}'s device first.
     *
     * @param key the buffer name
     * @param like the parameter the buffer belongs to; gives shape and device
     * @return the buffer, or {@code null} if there is none
     * @throws IllegalArgumentException if a restored buffer's shape differs from the parameter's
     */
    NDArray find(String key, NDArray like) {
        ensureOpen();
        Slot slot = slots.get(key);
        if (slot == null) {
            return null;
        }
        if (slot.array == null) {
            long[] expected = like.getShape().getShape();
            if (!Arrays.equals(slot.shape, expected)) {
                throw new IllegalArgumentException(owner + ": restored buffer '" + key
                        + "' has shape " + Arrays.toString(slot.shape) + " but the parameter has "
                        + Arrays.toString(expected));
            }
            slot.array = onDevice(manager.create(slot.data, new Shape(slot.shape)),
                    like.getDevice());
            slot.data = null;
            slot.shape = null;
        }
        return slot.array;
    }

    /**
     * Creates a zero buffer shaped, typed and placed like a parameter.
     *
     * @param key the buffer name, which must not exist yet
     * @param like the parameter
     * @return the new buffer
     */
    NDArray zeros(String key, NDArray like) {
        ensureOpen();
        NDArray array = manager.zeros(like.getShape(), like.getDataType(), like.getDevice());
        return put(key, array);
    }

    /**
     * Takes ownership of an array as a buffer (e.g. a copy of the first gradient).
     *
     * @param key the buffer name, which must not exist yet
     * @param array the array, moved to this set's manager
     * @return the array
     */
    NDArray adopt(String key, NDArray array) {
        ensureOpen();
        array.attach(manager);
        return put(key, array);
    }

    /**
     * Copies every buffer out of the engine, in creation order.
     *
     * @param tensors receives the elements by name
     * @param shapes receives the shapes by name
     */
    void exportTo(Map<String, float[]> tensors, Map<String, long[]> shapes) {
        ensureOpen();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Slot slot = e.getValue();
            if (slot.array != null) {
                tensors.put(e.getKey(), slot.array.toFloatArray());
                shapes.put(e.getKey(), slot.array.getShape().getShape());
            } else {
                tensors.put(e.getKey(), slot.data);
                shapes.put(e.getKey(), slot.shape.clone());
            }
        }
    }

    /**
     * Frees every buffer and replaces them with restored ones.
     *
     * @param state the state whose tensors become the buffers
     */
    void restore(OptimizerState state) {
        ensureOpen();
        clear();
        for (Map.Entry<String, float[]> e : state.tensors().entrySet()) {
            Slot slot = new Slot();
            slot.data = e.getValue();
            slot.shape = state.shapes().get(e.getKey()).clone();
            slots.put(e.getKey(), slot);
        }
    }

    /**
     * Throws if the buffers were freed.
     *
     * @throws IllegalStateException if {@link #close()} was called
     */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(owner + " optimizer is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            slots.clear();
            manager.close();
        }
    }

    private NDArray put(String key, NDArray array) {
        if (slots.containsKey(key)) {
            throw new IllegalStateException(owner + ": buffer '" + key + "' already exists");
        }
        Slot slot = new Slot();
        slot.array = array;
        slots.put(key, slot);
        return array;
    }

    private void clear() {
        for (Slot slot : slots.values()) {
            if (slot.array != null) {
                slot.array.close();
            }
        }
        slots.clear();
    }

    private static NDArray onDevice(NDArray array, Device device) {
        if (array.getDevice().equals(device)) {
            return array;
        }
        NDArray moved = array.toDevice(device, false);
        array.close();
        return moved;
    }

    /**
     * Checks that a gradient fits its parameter: both float32, same shape.
     *
     * @param owner the optimizer name, for the message
     * @param name the parameter name
     * @param param the parameter
     * @param grad the gradient
     * @throws IllegalArgumentException if they do not fit
     */
    static void checkPair(String owner, String name, NDArray param, NDArray grad) {
        if (param.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(owner + ": parameter '" + name + "' is "
                    + param.getDataType() + "; optimizers update float32 (master) weights only");
        }
        if (grad.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(owner + ": gradient of '" + name + "' is "
                    + grad.getDataType() + "; unscale it to float32 before the step");
        }
        if (!param.getShape().equals(grad.getShape())) {
            throw new IllegalArgumentException(owner + ": gradient of '" + name + "' has shape "
                    + grad.getShape() + " but the parameter has " + param.getShape());
        }
    }

    /**
     * Checks that every gradient has a parameter.
     *
     * @param owner the optimizer name, for the message
     * @param params the parameters
     * @param grads the gradients
     * @throws IllegalArgumentException naming the gradients without a parameter
     */
    static void checkNames(String owner, Map<String, NDArray> params, Map<String, NDArray> grads) {
        if (params.keySet().containsAll(grads.keySet())) {
            return;
        }
        StringBuilder unknown = new StringBuilder();
        for (String name : grads.keySet()) {
            if (!params.containsKey(name)) {
                unknown.append(unknown.length() == 0 ? "" : ", ").append('\'').append(name)
                        .append('\'');
            }
        }
        throw new IllegalArgumentException(owner + ": gradients without a parameter: " + unknown);
    }

    /** One parameter's update, given a gradient that fits it. */
    @FunctionalInterface
    interface Update {
        void apply(String name, NDArray param, NDArray grad);
    }

    /**
     * The shared shape of {@link Optimizer#step}: checks the names, then applies {@code update} to every
     * parameter that has a gradient, after checking the pair.
     *
     * @param owner the optimizer name, for messages
     * @param params the parameters
     * @param grads the gradients
     * @param update the per-parameter rule
     */
    static void forEachPair(String owner, Map<String, NDArray> params, Map<String, NDArray> grads, Update update) {
        checkNames(owner, params, grads);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = grads.get(e.getKey());
            if (g != null) {
                checkPair(owner, e.getKey(), e.getValue(), g);
                update.apply(e.getKey(), e.getValue(), g);
            }
        }
    }
}
