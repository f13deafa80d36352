package dev.dpo4j.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Hugging Face decoder architectures dpo4j runs, keyed by {@code config.json}'s {@code model_type}.
 *
 * <p>All four share one decoder (pre-norm, rotate-half RoPE, grouped-query attention, gated MLP); they
 * differ only in the defaults and switches recorded in {@link ModelConfig}.
 */
public enum ModelType {
    /** Meta Llama 1/2/3 ({@code LlamaForCausalLM}); also SmolLM2, TinyLlama. */
    LLAMA("llama"),
    /** Mistral 7B ({@code MistralForCausalLM}): Llama with an optional sliding window. */
    MISTRAL("mistral"),
    /** Qwen2 / Qwen2.5 ({@code Qwen2ForCausalLM}): bias on the q/k/v projections. */
    QWEN2("qwen2"),
    /** Gemma 1 ({@code GemmaForCausalLM}): 1+weight RMSNorm, sqrt(hidden) embedding scale, GELU-tanh. */
    GEMMA("gemma");

    private final String hfName;

    ModelType(String hfName) {
        this.hfName = hfName;
    }

    /** The {@code model_type} string Hugging Face uses. */
    public String hfName() {
        return hfName;
    }

    /** Comma-separated list of supported {@code model_type} values, for error messages. */
    public static String supportedList() {
        return Arrays.stream(values()).map(ModelType::hfName).collect(Collectors.joining(", "));
    }

    /**
     * Looks a {@code model_type} up.
     *
     * @param name the value from {@code config.json}
     * @return the type, or {@code null} when unsupported
     */
    public static ModelType fromHfName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (ModelType t : values()) {
            if (t.hfName.equals(n)) {
                return t;
            }
        }
        return null;
    }
}
