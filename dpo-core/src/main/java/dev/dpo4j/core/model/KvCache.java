package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for the tokens seen so far, preallocated to a fixed capacity so that
 * a decoding step writes one position in place instead of copying the whole history.
 *
 * <p>Letters: B batch, Nkv key/value heads, C capacity, D head dim. Each layer holds K and V of shape
 * (B, Nkv, C, D); positions {@code [0, length)} are filled. {@link DecoderModel#forward} writes the new
 * tokens of all layers, then {@link #advance(int)} moves the length on.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;

    /**
     * Allocates an empty cache.
     *
     * @param parent manager to allocate under (a child manager is used and closed with the cache)
     * @param config the model config
     * @param batch B
     * @param capacity C, the most tokens (prompt + generated) the cache will hold
     */
    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity) {
        this(parent, config, batch, capacity, DataType.FLOAT32);
    }

    /**
     * Allocates an empty cache for keys and values of a given type.
     *
     * @param parent manager to allocate under (a child manager is used and closed with the cache)
     * @param config the model config
     * @param batch B
     * @param capacity C, the most tokens (prompt + generated) the cache will hold
     * @param type the activations' type (the model's {@link DecoderModel#dtype()})
     */
    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity, DataType type) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int i = 0; i < keys.length; i++) {
            keys[i] = manager.zeros(shape, type);
            values[i] = manager.zeros(shape, type);
        }
    }

    /** Number of filled positions. */
    public int length() {
        return length;
    }

    /** Capacity C. */
    public int capacity() {
        return capacity;
    }

    /**
     * Writes a layer's new keys and values after the filled positions and returns the whole history.
     *
     * @param layer layer index
     * @param k (B, Nkv, T, D) new keys
     * @param v (B, Nkv, T, D) new values
     * @return K and V, each (B, Nkv, length + T, D)
     */
    public NDList update(int layer, NDArray k, NDArray v) {
        long t = k.getShape().get(2);
        if (length + t > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + t + " > capacity " + capacity);
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", length, length + t);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        NDIndex filled = new NDIndex(":, :, :{}", length + t);
        return new NDList(keys[layer].get(filled), values[layer].get(filled));
    }

    /**
     * Marks {@code tokens} more positions as filled; called once per forward, after all layers.
     *
     * @param tokens T of the forward that just ran
     */
    public void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }
}
