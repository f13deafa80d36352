package dev.dpo4j.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Hugging Face decoder architectures dpo4j runs, keyed by {@code config.json}'s {@code model_type}.
 *
 * <p>All share one decoder (pre-norm, rotate-half RoPE, grouped-query attention, gated MLP); they differ
 * in the defaults and switches recorded in {@link ModelConfig} and in the per-family predicates here.
 */
public enum ModelType {
    /** Meta Llama 1/2/3 ({@code LlamaForCausalLM}); also SmolLM2, TinyLlama. */
    LLAMA("llama"),
    /** Mistral 7B ({@code MistralForCausalLM}): Llama with an optional sliding window. */
    MISTRAL("mistral"),
    /** Qwen2 / Qwen2.5 ({@code Qwen2ForCausalLM}): bias on the q/k/v projections. */
    QWEN2("qwen2"),
    /** Gemma 1 ({@code GemmaForCausalLM}): 1+weight RMSNorm, sqrt(hidden) embedding scale, GELU-tanh. */
    GEMMA("gemma"),
    /** Qwen3 ({@code Qwen3ForCausalLM}): RMSNorm over each query and key head before RoPE, no q/k/v bias. */
    QWEN3("qwen3"),
    /**
     * Gemma 2 ({@code Gemma2ForCausalLM}): Gemma plus attention and final logit soft-capping,
     * {@code query_pre_attn_scalar}, four norms per layer and sliding windows on alternate layers.
     */
    GEMMA2("gemma2"),
    /**
     * Gemma 3 text ({@code Gemma3ForCausalLM}, e.g. Gemma 3 1B): Gemma 2's layer plus q/k norms, local and
     * global layers in a pattern, each layer type with its own RoPE.
     */
    GEMMA3_TEXT("gemma3_text"),
    /**
     * Phi-3, Phi-3.5 and Phi-4-mini ({@code Phi3ForCausalLM}): fused {@code qkv_proj} and {@code gate_up_proj},
     * partial rotary, LongRoPE.
     */
    PHI3("phi3");

    private final String hfName;

    ModelType(String hfName) {
        this.hfName = hfName;
    }

    /** The {@code model_type} string Hugging Face uses. */
    public String hfName() {
        return hfName;
    }

    /** Gemma's family: {@code (1 + weight)} norms, GELU-tanh, embeddings scaled by sqrt(hidden). */
    public boolean isGemma() {
        return this == GEMMA || this == GEMMA2 || this == GEMMA3_TEXT;
    }

    /** Gemma 2 and 3: four norms per layer (input, post-attention, pre- and post-feed-forward). */
    public boolean sandwichNorms() {
        return this == GEMMA2 || this == GEMMA3_TEXT;
    }

    /** Qwen3 and Gemma 3: an RMSNorm over each query and key head ({@code q_norm}, {@code k_norm}). */
    public boolean qkNorm() {
        return this == QWEN3 || this == GEMMA3_TEXT;
    }

    /** Phi-3: {@code qkv_proj} and {@code gate_up_proj} instead of q/k/v and gate/up. */
    public boolean fusedProjections() {
        return this == PHI3;
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
