package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The gated feed-forward block of Llama-family decoders (Shazeer 2020, "GLU Variants Improve
 * Transformer"): {@code down(act(gate(x)) · up(x))}. Shapes: x (…, H) → (…, I) → (…, H).
 */
public final class GatedMlp {
    private final Linear gate;
    private final Linear up;
    private final Linear down;
    private final HiddenActivation activation;

    /**
     * Creates the block.
     *
     * @param gate {@code gate_proj} (I, H)
     * @param up {@code up_proj} (I, H)
     * @param down {@code down_proj} (H, I)
     * @param activation applied to the gate
     */
    public GatedMlp(Linear gate, Linear up, Linear down, HiddenActivation activation) {
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.activation = activation;
    }

    /**
     * Applies the block.
     *
     * @param x (…, H)
     * @return (…, H)
     */
    public NDArray forward(NDArray x) {
        NDArray hidden = activation.apply(gate.forward(x)).mul(up.forward(x)); // (…, I)
        return down.forward(hidden);
    }
}
