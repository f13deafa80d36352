package dev.dpo4j.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.norm.Dropout;
import dev.dpo4j.core.model.Linear;
import dev.dpo4j.core.util.Casts;
import dev.dpo4j.core.util.Scalars;

/**
 * The LoRA update of one projection: {@code Δy = scaling · B·A·dropout(x)} added to the frozen
 * {@code x·Wᵀ + b}.
 *
 * <p>Shapes: A is (r, in), B is (out, r), both float32 (the trainable "master" weights, whatever the
 * model's precision: a float16 forward casts them for the matmuls); x is (…, in) and Δy (…, out). Only A
 * and B receive gradients. The layer reads the shared {@link LoraModel} switches on every call, so one
 * flag turns every adapter off for a reference forward.
 */
public final class LoraLayer implements Linear.Adapter {
    private final String modulePath;
    private final NDArray a;
    private final NDArray b;
    private final float scaling;
    private final NDArray scalingArray; // engine-owned scalar, made once (see Scalars)
    private final float dropout;
    private final LoraModel owner;

    LoraLayer(String modulePath, NDArray a, NDArray b, double scaling, double dropout, LoraModel owner) {
        this.modulePath = modulePath;
        this.a = a;
        this.b = b;
        this.scaling = (float) scaling;
        this.scalingArray = Scalars.of(a, this.scaling);
        this.dropout = (float) dropout;
        this.owner = owner;
    }

    /** The projection's module path, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String modulePath() {
        return modulePath;
    }

    /** lora_A, (r, in). */
    public NDArray a() {
        return a;
    }

    /** lora_B, (out, r). */
    public NDArray b() {
        return b;
    }

    /** The factor on B·A. */
    public float scaling() {
        return scaling;
    }

    @Override
    public NDArray delta(NDArray x) {
        if (!owner.enabled()) {
            return null;
        }
        NDArray in = x;
        if (dropout > 0 && owner.isTraining()) {
            in = Dropout.dropout(x, dropout, true).singletonOrThrow();
        }
        // float32 masters cast to the activations' type for the forward (autograd returns float32
        // gradients to the masters through the cast); no copy when the types match.
        DataType type = x.getDataType();
        NDArray aw = Casts.to(a, type);
        NDArray bw = Casts.to(b, type);
        NDArray down = ai.djl.nn.core.Linear.linear(in, aw, null).singletonOrThrow(); // (…, r)
        return ai.djl.nn.core.Linear.linear(down, bw, null).singletonOrThrow().mul(scalingArray); // (…, out)
    }

    /**
     * The dense update {@code scaling · B·A}, (out, in), under the given array's manager.
     *
     * @return ΔW in float32
     */
    public NDArray deltaWeight() {
        return b.matMul(a).mul(scalingArray);
    }
}
