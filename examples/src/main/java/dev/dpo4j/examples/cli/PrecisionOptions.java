package dev.dpo4j.examples.cli;

import picocli.CommandLine.Option;

/**
 * The precision and quantization flags of the commands that load a local model ({@code generate},
 * {@code logprobs}, {@code evaluate}, {@code data synth}), as a picocli {@code @Mixin}; {@code train}
 * reads the same keys through {@link TrainSettings}; the benchmarks take the same flags. YAML keys are the flags in snake_case
 * ({@code load_in_4bit: true}); {@code torch_dtype} is accepted for {@code dtype}.
 */
public final class PrecisionOptions {
    @Option(names = {"--dtype", "--torch-dtype"}, paramLabel = "T",
            description = "auto (default: float16 on CUDA, float32 on CPU), float32, float16; bfloat16 runs as "
                    + "float16 (DJL has no bfloat16).")
    String dtype;

    @Option(names = "--load-in-4bit", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Quantize the frozen base to 4 bits per weight (NF4, blocks of 64) at load.")
    boolean loadIn4bit;

    @Option(names = "--load-in-8bit", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Quantize the frozen base to int8 per output row at load.")
    boolean loadIn8bit;

    @Option(names = "--bnb-4bit-quant-type", paramLabel = "nf4|fp4", description = "4-bit code (default nf4).")
    String quantType;

    @Option(names = {"--bnb-4bit-use-double-quant", "--use-bnb-nested-quant"}, arity = "0..1", fallbackValue = "true",
            paramLabel = "BOOL", description = "Quantize the 4-bit block scales too (QLoRA's double quantization).")
    Boolean doubleQuant;

    @Option(names = "--bnb-4bit-compute-dtype", paramLabel = "T",
            description = "dtype quantized weights are dequantized to for the matmul (default: --dtype).")
    String computeDtype;

    @Option(names = "--tf32", arity = "1", paramLabel = "BOOL",
            description = "TF32 for float32 matmuls on CUDA (default true via ./dpo4j; false for exact float32).")
    Boolean tf32;

    /**
     * The flags as settings.
     *
     * @return the settings (validated by {@link PrecisionSettings#resolve})
     */
    public PrecisionSettings settings() {
        return new PrecisionSettings(dtype, loadIn4bit, loadIn8bit, quantType, doubleQuant, computeDtype, tf32);
    }
}
