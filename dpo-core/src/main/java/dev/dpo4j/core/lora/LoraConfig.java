package dev.dpo4j.core.lora;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A LoRA configuration with PEFT's field names, so {@code adapter_config.json} reads and writes as is.
 *
 * <p>Defaults follow PEFT's {@code LoraConfig}: r 8, lora_alpha 8 (dpo4j's builder default is 16, the
 * usual 2·r), lora_dropout 0, bias "none", no rsLoRA. The update of a projection W is
 * {@code ΔW = scaling · B·A} with {@code scaling = lora_alpha / r}, or {@code lora_alpha / √r} with
 * rsLoRA (Kalajdzievski 2023, "A Rank Stabilization Scaling Factor for Fine-Tuning with LoRA").
 *
 * @param r the rank: higher is more expressive, more memory and optimizer state
 * @param loraAlpha the scaling numerator
 * @param loraDropout dropout on the adapter's input during training, in [0, 1)
 * @param targetModules module names matched against the end of each projection's path
 *     ({@code q_proj} matches {@code model.layers.3.self_attn.q_proj}), or the single entry
 *     {@code all-linear} for every projection of the decoder layers (the LM head excluded)
 * @param bias only {@code none} is supported (bias terms are not trained)
 * @param useRslora rsLoRA scaling
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoraConfig(
        @JsonProperty("r") int r,
        @JsonProperty("lora_alpha") double loraAlpha,
        @JsonProperty("lora_dropout") double loraDropout,
        @JsonProperty("target_modules") List<String> targetModules,
        @JsonProperty("bias") String bias,
        @JsonProperty("use_rslora") boolean useRslora) {

    /** The {@code target_modules} value that selects every projection. */
    public static final String ALL_LINEAR = "all-linear";

    /** Validates and normalises; null bias reads as "none", null targets as all-linear. */
    public LoraConfig {
        if (r <= 0) {
            throw new IllegalArgumentException("lora r must be positive, got " + r);
        }
        if (!(loraAlpha > 0)) {
            throw new IllegalArgumentException("lora_alpha must be positive, got " + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + loraDropout);
        }
        bias = bias == null ? "none" : bias;
        if (!bias.equals("none")) {
            throw new IllegalArgumentException("lora bias '" + bias + "' is not supported; use \"none\"");
        }
        targetModules = targetModules == null || targetModules.isEmpty() ? List.of(ALL_LINEAR)
                : List.copyOf(targetModules);
    }

    /**
     * A configuration with the usual choices: all linear projections, no dropout, no rsLoRA.
     *
     * @param r rank
     * @param alpha lora_alpha
     * @return the config
     */
    public static LoraConfig of(int r, double alpha) {
        return new LoraConfig(r, alpha, 0.0, List.of(ALL_LINEAR), "none", false);
    }

    /**
     * A copy with another dropout.
     *
     * @param dropout in [0, 1)
     * @return the copy
     */
    public LoraConfig withDropout(double dropout) {
        return new LoraConfig(r, loraAlpha, dropout, targetModules, bias, useRslora);
    }

    /**
     * A copy with other target modules.
     *
     * @param targets names, or {@code all-linear}
     * @return the copy
     */
    public LoraConfig withTargets(List<String> targets) {
        return new LoraConfig(r, loraAlpha, loraDropout, targets, bias, useRslora);
    }

    /** The factor on B·A: {@code alpha / r}, or {@code alpha / √r} with rsLoRA. */
    public double scaling() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    /**
     * Whether a projection is adapted, by PEFT's rule: its path equals a target or ends with
     * {@code "." + target}.
     *
     * @param modulePath e.g. {@code model.layers.0.mlp.down_proj}
     * @return true when targeted
     */
    public boolean targets(String modulePath) {
        for (String target : targetModules) {
            if (matches(target, modulePath)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether one {@code target_modules} entry selects a projection (PEFT's rule, see {@link #targets}).
     *
     * @param target an entry, e.g. {@code q_proj} or {@code all-linear}
     * @param modulePath e.g. {@code model.layers.0.self_attn.q_proj}
     * @return true when it selects it
     */
    public static boolean matches(String target, String modulePath) {
        return target.equals(ALL_LINEAR) || modulePath.equals(target) || modulePath.endsWith("." + target);
    }
}
