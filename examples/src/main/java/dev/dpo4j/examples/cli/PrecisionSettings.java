package dev.dpo4j.examples.cli;

import ai.djl.Device;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.Precision;
import dev.dpo4j.core.quant.QuantConfig;
import dev.dpo4j.core.quant.QuantType;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command loads its model, with transformers' and TRL's names: {@code dtype} ({@code torch_dtype}),
 * {@code load_in_4bit} / {@code load_in_8bit} with {@code bnb_4bit_quant_type},
 * {@code bnb_4bit_use_double_quant} and {@code bnb_4bit_compute_dtype}, and {@code tf32}. Validated in
 * one place, {@link #resolve}, for the flags of every model command and the keys of {@code train}.
 *
 * @param dtype {@code auto} (null), float32, float16, bfloat16 (runs as float16) — see {@link Precision}
 * @param loadIn4bit quantize the frozen base to 4 bits (NF4 by default)
 * @param loadIn8bit quantize the frozen base to int8 per output row
 * @param quantType {@code nf4} (default) or {@code fp4}; 4-bit only
 * @param doubleQuant quantize the 4-bit block scales too (QLoRA's double quantization); null = false
 * @param computeDtype the dtype quantized weights are dequantized to, or null for {@code dtype}
 * @param tf32 TF32 for float32 matmuls on CUDA: null leaves the environment's choice (the launcher's
 *     default is on)
 */
public record PrecisionSettings(String dtype, boolean loadIn4bit, boolean loadIn8bit, String quantType, Boolean doubleQuant,
                         String computeDtype, Boolean tf32) {

    /** Settings that change nothing: auto dtype, no quantization. */
    public static final PrecisionSettings DEFAULT = new PrecisionSettings(null, false, false, null, null, null, null);

    /**
     * What a model load will do.
     *
     * @param options the load options
     * @param notes sentences for stderr (bfloat16 run as float16, auto's choice)
     */
    public record Resolved(LoadOptions options, List<String> notes) {
    }

    /**
     * Validates and resolves against the device.
     *
     * @param device where the model runs (auto picks float16 on CUDA)
     * @return the options and notes
     * @throws IllegalArgumentException one line naming the key
     */
    public Resolved resolve(Device device) {
        if (loadIn4bit && loadIn8bit) {
            throw new IllegalArgumentException("load_in_4bit and load_in_8bit are exclusive; choose one");
        }
        if (!loadIn4bit && quantType != null) {
            throw new IllegalArgumentException("bnb_4bit_quant_type '" + quantType + "' needs load_in_4bit");
        }
        if (!loadIn4bit && Boolean.TRUE.equals(doubleQuant)) {
            throw new IllegalArgumentException("bnb_4bit_use_double_quant needs load_in_4bit");
        }
        if (!loadIn4bit && !loadIn8bit && computeDtype != null) {
            throw new IllegalArgumentException("bnb_4bit_compute_dtype '" + computeDtype
                    + "' needs load_in_4bit or load_in_8bit");
        }
        List<String> notes = new ArrayList<>();
        Precision.Choice choice = named("dtype", () -> Precision.resolve(dtype, device));
        if (choice.note() != null) {
            notes.add(choice.note());
        }
        QuantConfig quant = null;
        if (loadIn8bit) {
            quant = QuantConfig.int8();
        } else if (loadIn4bit) {
            QuantType type = quantType == null ? QuantType.NF4
                    : named("bnb_4bit_quant_type", () -> QuantType.fromName(quantType));
            if (type == QuantType.INT8) {
                throw new IllegalArgumentException("bnb_4bit_quant_type must be nf4 or fp4, got '" + quantType + "'");
            }
            boolean dq = Boolean.TRUE.equals(doubleQuant);
            quant = type == QuantType.NF4 ? QuantConfig.nf4(dq) : QuantConfig.fp4(dq);
        }
        Precision compute = null;
        if (computeDtype != null) {
            Precision.Choice c = named("bnb_4bit_compute_dtype", () -> Precision.resolve(computeDtype, device));
            if (c.note() != null && !notes.contains(c.note())) {
                notes.add("bnb_4bit_compute_dtype: " + c.note());
            }
            compute = c.precision();
        }
        return new Resolved(new LoadOptions(choice.precision(), quant, compute), notes);
    }

    /** Prefixes a parse error with its key. */
    private static <T> T named(String key, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
