package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The gated feed-forward block of Llama-family decoders (Shazeer 2020, "GLU Variants Improve
 * Transformer"): {@code down(act(gate(x)) · up(x))}. Shapes: x (…, H) → (…, I) → (…, H). Phi-3 fuses gate
 * and up into one {@code gate_up_proj} of (2I, H) whose first I outputs are the gate.
 */
public final class GatedMlp {
    private final Linear gate; // or null when fused
    private final Linear up; // or null when fused
    private final Linear gateUp; // Phi-3's gate_up_proj, or null
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
        this.gateUp = null;
        this.down = down;
        this.activation = activation;
    }

    /**
     * Creates Phi-3's fused block.
     *
     * @param gateUp {@code gate_up_proj} (2I, H): gate rows first, then up
     * @param down {@code down_proj} (H, I)
     * @param activation applied to the gate
     */
    public GatedMlp(Linear gateUp, Linear down, HiddenActivation activation) {
        this.gate = null;
        this.up = null;
        this.gateUp = gateUp;
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
        NDArray hidden;
        if (gateUp != null) {
            NDArray both = gateUp.forward(x); // (…, 2I)
            long i = both.getShape().getLastDimension() / 2;
            hidden = activation.apply(both.get(new NDIndex("..., :{}", i))).mul(both.get(new NDIndex("..., {}:", i)));
        } else {
            hidden = activation.apply(gate.forward(x)).mul(up.forward(x)); // (…, I)
        }
        return down.forward(hidden);
    }
}
