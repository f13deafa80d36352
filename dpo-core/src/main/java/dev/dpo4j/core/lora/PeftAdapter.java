package dev.dpo4j.core.lora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA adapter as PEFT stores it, held in Java memory: the {@code adapter_config.json} settings and
 * every tensor of {@code adapter_model.safetensors} widened to float32.
 *
 * <p>Keys are PEFT's: {@code base_model.model.<module path>.lora_A.weight} with shape (r, in) and
 * {@code base_model.model.<module path>.lora_B.weight} with shape (out, r). Read one with
 * {@link PeftAdapters#read}; attach it to a model with {@link PeftAdapters#load} or
 * {@link LoraModel#attach}.
 *
 * @param config the adapter's rank, alpha and targets
 * @param weights PEFT key → values, row-major, float32
 * @param shapes PEFT key → shape as stored, outermost first; exactly the keys of {@code weights}
 */
public record PeftAdapter(LoraConfig config, Map<String, float[]> weights, Map<String, long[]> shapes) {

    private static final Pattern KEY = Pattern.compile("base_model\\.model\\.(.+)\\.lora_([AB])\\.weight");

    /**
     * Validates that both maps hold the same keys and that each value count matches its shape; keeps
     * unmodifiable copies in key order.
     *
     * @param config the config
     * @param weights the values
     * @param shapes the shapes
     * @throws IllegalArgumentException naming the first inconsistent tensor
     */
    public PeftAdapter {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(shapes, "shapes");
        if (!weights.keySet().equals(shapes.keySet())) {
            throw new IllegalArgumentException("adapter weights and shapes name different tensors: "
                    + weights.keySet() + " vs " + shapes.keySet());
        }
        Map<String, long[]> shapeCopy = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            long[] shape = shapes.get(e.getKey()).clone();
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            if (n != e.getValue().length) {
                throw new IllegalArgumentException("adapter tensor " + e.getKey() + " has " + e.getValue().length
                        + " values but shape " + Arrays.toString(shape));
            }
            shapeCopy.put(e.getKey(), shape);
        }
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        shapes = Collections.unmodifiableMap(shapeCopy);
    }

    /**
     * The module path a PEFT key belongs to.
     *
     * @param key e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}
     * @return e.g. {@code model.layers.0.self_attn.q_proj}, or {@code null} when the key is not a LoRA
     *     A/B weight in PEFT layout
     */
    public static String modulePath(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * Whether a PEFT key names an A matrix (else a B matrix).
     *
     * @param key a key for which {@link #modulePath} is not null
     * @return true for {@code lora_A}
     */
    public static boolean isA(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() && m.group(2).equals("A");
    }

    /**
     * The adapted module paths, in the order their first tensor appears.
     *
     * @return distinct module paths
     */
    public List<String> modulePaths() {
        List<String> out = new ArrayList<>();
        for (String key : weights.keySet()) {
            String path = modulePath(key);
            if (path != null && !out.contains(path)) {
                out.add(path);
            }
        }
        return out;
    }

    /** Total number of adapter values. */
    public long parameterCount() {
        long n = 0;
        for (float[] v : weights.values()) {
            n += v.length;
        }
        return n;
    }
}
