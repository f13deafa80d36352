package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * What each decoder layer of one forward pass reads besides its input: its rotary tables and its
 * additive mask. Layers of one kind share one instance: a Llama has one table and one mask, Gemma 3 one
 * of each for its local (sliding, own RoPE base) and its global layers.
 *
 * <p>Letters: B batch, T new tokens, S keys, d rotary dims. Built by {@link DecoderModel#context}; the
 * arrays belong to the manager given there.
 */
public final class LayerContext {
    private final NDArray[] cos; // per layer (B, T, 1, d), in the model's dtype
    private final NDArray[] sin;
    private final NDArray[] masks; // per layer (B, 1, 1, T, S), additive, in the model's dtype

    private LayerContext(NDArray[] cos, NDArray[] sin, NDArray[] masks) {
        this.cos = cos;
        this.sin = sin;
        this.masks = masks;
    }

    /**
     * Builds the tables and masks every layer needs, each distinct one once.
     *
     * @param config the architecture (per-layer windows and RoPE)
     * @param ropes per layer, its rotary embedding (layers of one kind share an instance)
     * @param manager owns the arrays
     * @param positions (B, T) positions, row-major
     * @param batch B
     * @param tokens T
     * @param masks builds the mask of a window
     * @param dtype the activations' type
     * @return the context
     */
    static LayerContext build(ModelConfig config, RotaryEmbedding[] ropes, NDManager manager, long[] positions,
                              int batch, int tokens, AttentionMask.Source masks, DataType dtype) {
        int layers = config.numLayers();
        NDArray[] cos = new NDArray[layers];
        NDArray[] sin = new NDArray[layers];
        NDArray[] mask = new NDArray[layers];
        Map<RotaryEmbedding, NDList> tables = new HashMap<>();
        Map<Integer, NDArray> byWindow = new HashMap<>();
        for (int i = 0; i < layers; i++) {
            NDList cs = tables.computeIfAbsent(ropes[i], r -> r.tables(manager, positions, batch, tokens, dtype));
            cos[i] = cs.get(0);
            sin[i] = cs.get(1);
            mask[i] = byWindow.computeIfAbsent(config.window(i), w -> AttentionMask.cast(masks.mask(w), dtype));
        }
        return new LayerContext(cos, sin, mask);
    }

    /** Layer i's cos table, (B, T, 1, d). */
    public NDArray cos(int layer) {
        return cos[layer];
    }

    /** Layer i's sin table, (B, T, 1, d). */
    public NDArray sin(int layer) {
        return sin[layer];
    }

    /** Layer i's additive mask, (B, 1, 1, T, S). */
    public NDArray mask(int layer) {
        return masks[layer];
    }
}
