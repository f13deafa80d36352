package dev.dpo4j.core.model;

import dev.dpo4j.core.quant.QuantConfig;

/**
 * How a checkpoint's weights are held once loaded: their precision and, optionally, a quantized frozen
 * base (QLoRA, Dettmers et al. 2023).
 *
 * <p>With {@code quantization}, every linear projection of the decoder layers is quantized at load
 * ({@code load_in_4bit}: NF4 or FP4 per block of 64, {@code load_in_8bit}: int8 per output row), kept
 * packed on the device and dequantized to {@code computeDtype} just before its matmul; the embeddings,
 * the LM head and the norms are not quantized (as bitsandbytes leaves them), and stay in {@code dtype}
 * (norm weights always in float32). LoRA adapters are float32 whatever these options are.
 *
 * @param dtype weights and activations ({@code dtype}, {@code torch_dtype})
 * @param quantization the quantized base, or {@code null} for none
 * @param computeDtype the dtype quantized weights are dequantized to ({@code bnb_4bit_compute_dtype}),
 *     or {@code null} for {@code dtype}
 */
public record LoadOptions(Precision dtype, QuantConfig quantization, Precision computeDtype) {

    /** float32, no quantization: the exact path the fixtures check. */
    public static final LoadOptions FLOAT32 = new LoadOptions(Precision.FLOAT32, null, null);

    /** Validates; a null dtype means float32. */
    public LoadOptions {
        dtype = dtype == null ? Precision.FLOAT32 : dtype;
        if (computeDtype != null && quantization == null) {
            throw new IllegalArgumentException("bnb_4bit_compute_dtype " + computeDtype.label()
                    + " is set but the base is not quantized (add load_in_4bit or load_in_8bit)");
        }
    }

    /**
     * Options with a precision and no quantization.
     *
     * @param dtype the precision
     * @return the options
     */
    public static LoadOptions of(Precision dtype) {
        return new LoadOptions(dtype, null, null);
    }

    /**
     * A copy with a quantized base.
     *
     * @param config the quantization, or {@code null} for none
     * @return the copy
     */
    public LoadOptions withQuantization(QuantConfig config) {
        return new LoadOptions(dtype, config, config == null ? null : computeDtype);
    }

    /** The dtype quantized projections compute in. */
    public Precision quantizedComputeDtype() {
        return computeDtype != null ? computeDtype : dtype;
    }

    /** A short label for logs, cache keys and checkpoints, e.g. {@code float16+nf4-dq-b64}. */
    public String label() {
        String s = dtype.label();
        if (quantization != null) {
            s += "+" + quantization.label();
            if (computeDtype != null && computeDtype != dtype) {
                s += "@" + computeDtype.label();
            }
        }
        return s;
    }
}
