package dev.dpo4j.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.Linear;
import dev.dpo4j.core.model.WeightNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folding LoRA updates into the base weights, as PEFT's {@code merge_and_unload} does: each adapted
 * projection's weight becomes {@code W' = W + scaling · B·A}, computed in float32, after which the model
 * needs no adapter and runs at the base model's speed.
 *
 * <p>Shapes: W and W' are (out, in), A is (r, in), B is (out, r), so B·A is (out, in). The arrays of a
 * {@link LoraModel} are never modified: merging makes new arrays, so the same adapters can keep training
 * or serve as the DPO reference with their switch off.
 */
public final class LoraMerge {
    private LoraMerge() {
    }

    /**
     * The checkpoint name of a projection's weight.
     *
     * @param modulePath e.g. {@code model.layers.0.self_attn.q_proj}
     * @return e.g. {@code model.layers.0.self_attn.q_proj.weight}
     */
    public static String weightName(String modulePath) {
        return modulePath + ".weight";
    }

    /**
     * Merges one update: {@code W + scaling · B·A} in float32.
     *
     * @param weight W, (out, in), any float type (widened to float32)
     * @param a A, (r, in), float32 (an adapter's small master weight, copied)
     * @param b B, (out, r), float32
     * @param scaling the factor on B·A ({@link LoraConfig#scaling()})
     * @return W', (out, in) float32, owned by {@code weight}'s manager; the inputs are unchanged
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static NDArray merge(NDArray weight, NDArray a, NDArray b, double scaling) {
        Shape w = weight.getShape();
        Shape sa = a.getShape();
        Shape sb = b.getShape();
        if (w.dimension() != 2 || sa.dimension() != 2 || sb.dimension() != 2 || sa.get(1) != w.get(1)
                || sb.get(0) != w.get(0) || sa.get(0) != sb.get(1)) {
            throw new IllegalArgumentException("cannot merge LoRA A " + sa + " and B " + sb + " into weight " + w
                    + ": need A (r, in), B (out, r), W (out, in)");
        }
        NDManager owner = weight.getManager();
        try (NDManager scope = owner.newSubManager()) {
            // copies without gradient tracking, owned by the scope: the adapter arrays are never touched
            NDArray aa = scope.create(a.toFloatArray(), sa); // (r, in)
            NDArray bb = scope.create(b.toFloatArray(), sb); // (out, r)
            NDArray delta = bb.matMul(aa).muli((float) scaling); // (out, r)·(r, in) = (out, in)
            // not addi: toType returns the very tensor when W is already float32, and W must stay as it is
            NDArray merged = weight.toType(DataType.FLOAT32, false).add(delta); // (out, in)
            merged.attach(owner);
            return merged;
        }
    }

    /**
     * Merges the update of one attached layer into its projection's weight.
     *
     * @param lora the adapters
     * @param modulePath an adapted projection, e.g. {@code model.layers.0.self_attn.q_proj}
     * @return W', (out, in) float32, owned by the model's manager (close it when done)
     * @throws IllegalArgumentException if the projection is not adapted
     */
    public static NDArray mergedWeight(LoraModel lora, String modulePath) {
        LoraLayer layer = lora.layers().get(modulePath);
        if (layer == null) {
            throw new IllegalArgumentException("projection " + modulePath + " has no adapter (adapted: "
                    + lora.layers().size() + " projections, e.g. "
                    + lora.layers().keySet().stream().findFirst().orElse("none") + ")");
        }
        Linear linear = lora.model().linears().get(modulePath);
        if (!linear.isQuantized()) {
            return merge(linear.weight(), layer.a(), layer.b(), layer.scaling());
        }
        try (NDArray w = linear.denseWeight(lora.model().manager(), DataType.FLOAT32)) { // dequantized W
            return merge(w, layer.a(), layer.b(), layer.scaling());
        }
    }

    /**
     * A standalone copy of the model with every adapter merged in: the equivalent of PEFT's
     * {@code merge_and_unload()} that leaves the adapted model as it was. Every weight is copied, so this
     * needs a second model's worth of memory; to write a merged checkpoint to disk use
     * {@link MergedExport}, which streams tensor by tensor.
     *
     * @param lora the adapters and, through them, the base model
     * @return a new model (on the same device) with no adapters; close it to free its weights
     */
    public static DecoderModel mergedModel(LoraModel lora) {
        DecoderModel base = lora.model();
        NDManager manager = NDManager.newBaseManager(base.manager().getDevice());
        try {
            Map<String, String> adaptedByWeight = new LinkedHashMap<>();
            for (String path : lora.layers().keySet()) {
                adaptedByWeight.put(weightName(path), path);
            }
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (String name : WeightNames.expected(base.config()).keySet()) {
                String path = adaptedByWeight.get(name);
                NDArray copy;
                if (path != null) {
                    copy = mergedWeight(lora, path);
                } else if (base.parameters().containsKey(name)) {
                    copy = base.parameters().get(name).duplicate();
                } else { // a quantized projection without an adapter: its dequantized values
                    String module = name.substring(0, name.length() - ".weight".length());
                    copy = base.linears().get(module).denseWeight(manager, DataType.FLOAT32);
                }
                copy.attach(manager);
                params.put(name, copy);
            }
            return DecoderModel.of(base.config(), manager, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
