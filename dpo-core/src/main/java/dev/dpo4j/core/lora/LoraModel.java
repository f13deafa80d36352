package dev.dpo4j.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.Linear;
import dev.dpo4j.core.model.WeightNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A set of LoRA adapters attached to a {@link DecoderModel}: one {@link LoraLayer} per targeted
 * projection, all float32 and trainable, the base weights untouched.
 *
 * <p>Parameters are named in PEFT layout, {@code base_model.model.<module path>.lora_A.weight} and
 * {@code .lora_B.weight}, so {@link #parameters()} is exactly what {@code adapter_model.safetensors}
 * holds. The reference model of DPO is this model with the adapters off:
 * {@code try (var off = lora.disabled()) { ... }} — no second copy of the weights (STYLE.md rule 6).
 *
 * <p>The adapter tensors live under a manager of their own; {@link #close()} detaches them from the
 * model and frees them.
 */
public final class LoraModel implements AutoCloseable {
    private static final String PREFIX = "base_model.model.";

    private final DecoderModel model;
    private final LoraConfig config;
    private final NDManager manager;
    private final Map<String, LoraLayer> layers; // module path -> layer
    private final Map<String, NDArray> parameters; // PEFT key -> tensor
    private boolean enabled = true;
    private boolean training;

    private LoraModel(DecoderModel model, LoraConfig config, Map<String, NDArray> weights, NDManager manager) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        Map<String, LoraLayer> byPath = new LinkedHashMap<>();
        Map<String, NDArray> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : model.linears().entrySet()) {
            String path = e.getKey();
            if (!config.targets(path)) {
                continue;
            }
            // Copies into engine-allocated (aligned) memory: arrays made from Java data live in a Java
            // buffer whose alignment varies from run to run, and a matMul's rounding can follow it, which
            // would make a resumed run differ in the last bits from an uninterrupted one.
            NDArray a = engineOwned(weights.get(keyA(path)));
            NDArray b = engineOwned(weights.get(keyB(path)));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            LoraLayer layer = new LoraLayer(path, a, b, config.scaling(), config.loraDropout(), this);
            byPath.put(path, layer);
            byKey.put(keyA(path), a);
            byKey.put(keyB(path), b);
        }
        if (byPath.isEmpty()) {
            throw new IllegalArgumentException("lora target_modules " + config.targetModules()
                    + " match no projection; the model has e.g. " + model.linears().keySet().iterator().next());
        }
        for (String target : config.targetModules()) {
            if (byPath.keySet().stream().noneMatch(path -> LoraConfig.matches(target, path))) {
                // e.g. q_proj on Phi-3, whose q/k/v are one qkv_proj: adapting the rest quietly is not what was asked.
                throw new IllegalArgumentException("lora target_modules entry '" + target + "' matches no projection"
                        + " of this " + model.config().modelType().hfName() + " model (its projections: "
                        + String.join(", ", WeightNames.projections(model.config()).stream()
                                .map(m -> m.substring(m.indexOf('.') + 1)).toList()) + ")");
            }
        }
        this.layers = Collections.unmodifiableMap(byPath);
        this.parameters = Collections.unmodifiableMap(byKey);
        for (LoraLayer layer : byPath.values()) {
            model.linears().get(layer.modulePath()).setAdapter(layer);
        }
    }

    private static NDArray engineOwned(NDArray javaBacked) {
        try (Autograd.Scope off = Autograd.recording(false)) {
            NDArray copy = javaBacked.duplicate();
            javaBacked.close();
            return copy;
        }
    }

    /**
     * Attaches freshly initialised adapters the way PEFT does: A uniform in ±1/√in (Kaiming-uniform
     * with a = √5), B zero, so the adapted model starts equal to the base.
     *
     * @param model the base model
     * @param config rank, alpha, targets
     * @param seed seed of A's initialisation
     * @return the attached adapters
     */
    public static LoraModel create(DecoderModel model, LoraConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : model.linears().entrySet()) {
            if (!config.targets(e.getKey())) {
                continue;
            }
            long[] w = e.getValue().shape(); // (out, in)
            int out = (int) w[0];
            int in = (int) w[1];
            float bound = (float) (1.0 / Math.sqrt(in));
            float[] a = new float[config.r() * in];
            for (int i = 0; i < a.length; i++) {
                a[i] = (random.nextFloat() * 2 - 1) * bound;
            }
            weights.put(keyA(e.getKey()), a);
            weights.put(keyB(e.getKey()), new float[out * config.r()]);
        }
        return attach(model, config, weights);
    }

    /**
     * Attaches adapters with given weights (read from a PEFT file or a checkpoint). Every targeted
     * projection needs its A (r, in) and B (out, r); a missing, misshapen or unused tensor is an error
     * naming it.
     *
     * @param model the base model
     * @param config the adapter's config
     * @param weights PEFT key → float32 values, row-major
     * @return the attached adapters
     * @throws IllegalArgumentException naming the first bad tensor
     */
    public static LoraModel attach(DecoderModel model, LoraConfig config, Map<String, float[]> weights) {
        NDManager manager = NDManager.newBaseManager(model.manager().getDevice());
        try {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, Linear> e : model.linears().entrySet()) {
                if (!config.targets(e.getKey())) {
                    continue;
                }
                long[] w = e.getValue().shape(); // (out, in)
                arrays.put(keyA(e.getKey()), tensor(manager, weights, keyA(e.getKey()), new Shape(config.r(), w[1])));
                arrays.put(keyB(e.getKey()), tensor(manager, weights, keyB(e.getKey()), new Shape(w[0], config.r())));
            }
            for (String key : weights.keySet()) {
                if (!arrays.containsKey(key)) {
                    throw new IllegalArgumentException("adapter tensor " + key
                            + " does not belong to any targeted projection of this model (target_modules "
                            + config.targetModules() + ")");
                }
            }
            return new LoraModel(model, config, arrays, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDArray tensor(NDManager manager, Map<String, float[]> weights, String key, Shape shape) {
        float[] values = weights.get(key);
        if (values == null) {
            throw new IllegalArgumentException("adapter tensor " + key + " is missing");
        }
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("adapter tensor " + key + " has " + values.length
                    + " values; the model needs shape " + shape);
        }
        return manager.create(values, shape);
    }

    /**
     * PEFT's key of a projection's A matrix.
     *
     * @param modulePath e.g. {@code model.layers.0.self_attn.q_proj}
     * @return {@code base_model.model.<path>.lora_A.weight}
     */
    public static String keyA(String modulePath) {
        return PREFIX + modulePath + ".lora_A.weight";
    }

    /**
     * PEFT's key of a projection's B matrix.
     *
     * @param modulePath the projection
     * @return {@code base_model.model.<path>.lora_B.weight}
     */
    public static String keyB(String modulePath) {
        return PREFIX + modulePath + ".lora_B.weight";
    }

    /** The base model the adapters are attached to. */
    public DecoderModel model() {
        return model;
    }

    /** The adapter configuration. */
    public LoraConfig config() {
        return config;
    }

    /** The adapted projections by module path. */
    public Map<String, LoraLayer> layers() {
        return layers;
    }

    /** Every trainable tensor by PEFT key, A before B, in layer order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Total number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (NDArray p : parameters.values()) {
            n += p.size();
        }
        return n;
    }

    /** Whether the adapters contribute to forwards. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether dropout is active (training forwards). */
    public boolean isTraining() {
        return training;
    }

    /**
     * Switches dropout on until the returned scope closes: the forwards (and the recomputations of their
     * backward) inside it are training forwards; outside, evaluation, reference and generation forwards
     * run without dropout.
     *
     * @return a scope restoring the previous mode on close
     */
    public Training training() {
        boolean previous = training;
        training = true;
        return () -> training = previous;
    }

    /** A scope with dropout switched on; closing it restores the previous mode. */
    @FunctionalInterface
    public interface Training extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Switches the adapters off until the returned scope closes: the forwards inside it are the base
     * model's (the DPO reference).
     *
     * @return a scope restoring the previous state on close
     */
    public Disabled disabled() {
        boolean previous = enabled;
        enabled = false;
        return () -> enabled = previous;
    }

    /** A scope with the adapters switched off; closing it switches them back. */
    @FunctionalInterface
    public interface Disabled extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Copies every adapter tensor to Java arrays (for writing or checkpointing).
     *
     * @return PEFT key → float32 values, row-major, in {@link #parameters()} order
     */
    public Map<String, float[]> snapshot() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            out.put(e.getKey(), e.getValue().toFloatArray());
        }
        return out;
    }

    /**
     * Overwrites every adapter tensor in place with the given values (same keys and sizes as
     * {@link #snapshot()}).
     *
     * @param values PEFT key → values
     */
    public void load(Map<String, float[]> values) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null || v.length != e.getValue().size()) {
                throw new IllegalArgumentException("adapter tensor " + e.getKey() + " is missing or misshapen");
            }
            NDArray p = e.getValue();
            try (NDManager tmp = manager.newSubManager();
                 Autograd.Scope off = Autograd.recording(false)) {
                p.set(new NDIndex(":"), tmp.create(v, p.getShape())); // in-place copy, outside any graph
            }
        }
    }

    /** Detaches the adapters from the model and frees them; the model is the base model again. */
    @Override
    public void close() {
        for (LoraLayer layer : layers.values()) {
            Linear linear = model.linears().get(layer.modulePath());
            if (linear.adapter() == layer) {
                linear.setAdapter(null);
            }
        }
        manager.close();
    }
}
