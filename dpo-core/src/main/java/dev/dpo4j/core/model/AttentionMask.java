package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.util.Scalars;

/**
 * Builds additive attention masks of shape (B, 1, 1, T, S): 0 where a query may attend a key and
 * {@link #BLOCKED} elsewhere. A finite value keeps a fully blocked row (a padding query) from turning
 * into NaN: its softmax is uniform and its output is ignored.
 *
 * <p>Letters: B batch, T queries, S keys. The T queries are the last T of the S key positions (a
 * KV-cache step sees the S − T cached keys before it).
 */
public final class AttentionMask {
    /** The additive value of a blocked query/key pair. */
    public static final float BLOCKED = -1e30f;
    /** The additive value of a blocked pair in a float16 mask (float16's largest finite is 65504). */
    public static final float BLOCKED_HALF = -30000f;

    private AttentionMask() {
    }

    /**
     * Builds a forward pass's mask for a sliding window: models whose layers differ (Gemma 2/3's local and
     * global layers, Qwen's {@code max_window_layers}) ask once per distinct window.
     */
    @FunctionalInterface
    public interface Source {
        /**
         * @param window the layer's sliding window in tokens, 0 for full attention
         * @return (B, 1, 1, T, S) additive, float32
         */
        NDArray mask(int window);
    }

    /** Decides whether query {@code t} of row {@code b} may see key column {@code s}. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param b batch row
         * @param t query index in [0, T)
         * @param s key column in [0, S)
         * @return true when allowed
         */
        boolean allowed(int b, int t, int s);
    }

    /**
     * Builds a mask from an arbitrary rule (prefix sharing and packing use this).
     *
     * @param manager where to allocate
     * @param batch B
     * @param queries T
     * @param keys S
     * @param rule the visibility rule
     * @return (B, 1, 1, T, S)
     */
    public static NDArray of(NDManager manager, int batch, int queries, int keys, Rule rule) {
        float[] data = new float[batch * queries * keys];
        int i = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < queries; t++) {
                for (int s = 0; s < keys; s++) {
                    data[i++] = rule.allowed(b, t, s) ? 0f : BLOCKED;
                }
            }
        }
        return manager.create(data, new Shape(batch, 1, 1, queries, keys));
    }

    /**
     * The causal mask of padded rows: row b's real tokens occupy key columns
     * {@code [firstValid[b], endValid[b])}; a query sees real keys at or before its own column, and
     * with a sliding window only the last {@code window} of them.
     *
     * <p>Built with engine ops from the (B), (T) and (S) index vectors, so a long sequence never
     * needs a B·T·S array in the Java heap.
     *
     * @param manager where to allocate
     * @param queries T, the last T of the S columns
     * @param keys S
     * @param firstValid per row, the first real column (left padding before it)
     * @param endValid per row, one past the last real column (right padding after it)
     * @param window sliding window in tokens, 0 for none
     * @return (B, 1, 1, T, S)
     */
    public static NDArray causal(NDManager manager, int queries, int keys, int[] firstValid, int[] endValid,
                                 int window) {
        int batch = firstValid.length;
        NDArray key = manager.arange(0, keys, 1, DataType.INT32).reshape(1, 1, keys); // (1, 1, S)
        NDArray query = manager.arange(keys - queries, keys, 1, DataType.INT32).reshape(1, queries, 1); // (1, T, 1)
        NDArray first = manager.create(firstValid).reshape(batch, 1, 1); // (B, 1, 1)
        NDArray end = manager.create(endValid).reshape(batch, 1, 1); // (B, 1, 1)
        NDArray allowed = key.gte(first).logicalAnd(key.lt(end)).logicalAnd(key.lte(query)); // (B, T, S)
        if (window > 0) {
            allowed = allowed.logicalAnd(query.sub(key).lt(window));
        }
        return additive(allowed).reshape(batch, 1, 1, queries, keys);
    }

    /**
     * The additive mask in the activations' type. float16 cannot hold {@link #BLOCKED} (it would be
     * −∞, and a fully blocked row's softmax NaN), so blocked entries become {@link #BLOCKED_HALF}, which
     * still sends exp() to 0 next to any attended score and keeps a blocked score finite down to
     * about −35,000.
     *
     * @param mask additive, any shape, float32 (or already in {@code type})
     * @param type FLOAT32 or FLOAT16
     * @return the mask itself when it has the type, else a new array
     */
    public static NDArray cast(NDArray mask, DataType type) {
        if (mask.getDataType() == type) {
            return mask;
        }
        if (type == DataType.FLOAT16) {
            try (NDArray floor = Scalars.of(mask, BLOCKED_HALF)) {
                return mask.maximum(floor).toType(type, false);
            }
        }
        return mask.toType(type, false);
    }

    /**
     * Turns a boolean visibility array into the additive form: 0 where allowed, {@link #BLOCKED}
     * elsewhere.
     *
     * @param allowed boolean, any shape
     * @return float32, same shape
     */
    public static NDArray additive(NDArray allowed) {
        // allowed 1 -> (1 - 1)·(−BLOCKED) = 0; allowed 0 -> (0 − 1)·(−BLOCKED) = BLOCKED.
        return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-BLOCKED);
    }
}
