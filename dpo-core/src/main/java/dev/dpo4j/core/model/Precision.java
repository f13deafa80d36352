package dev.dpo4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type a model's frozen weights and activations are held in.
 *
 * <p>{@link #FLOAT16} is mixed precision as transformers + torch autocast users know it: base weights,
 * activations and matmuls in float16 (tensor cores on CUDA), with float32 where precision needs it —
 * RMSNorm statistics, the softmax's accumulation, the RoPE tables before they are cast, the LM head's
 * log-softmax, the losses, the LoRA masters and the optimizer state. DJL's PyTorch engine has no
 * bfloat16 (creating or casting to it aborts the JVM), so a bfloat16 request runs as float16; training
 * in float16 uses dynamic loss scaling ({@code dev.dpo4j.core.train.LossScaler}).
 */
public enum Precision {
    /** float32 everywhere (on CUDA, TF32 matmuls unless switched off). */
    FLOAT32(DataType.FLOAT32, "float32"),
    /** float16 weights and activations, float32 where precision needs it. */
    FLOAT16(DataType.FLOAT16, "float16");

    /** The names {@link #resolve} accepts, for help texts and errors. */
    public static final String NAMES = "auto, float32 (fp32), float16 (fp16, half), bfloat16 (bf16: runs as float16)";

    private final DataType dataType;
    private final String label;

    Precision(DataType dataType, String label) {
        this.dataType = dataType;
        this.label = label;
    }

    /** The engine type of weights and activations. */
    public DataType dataType() {
        return dataType;
    }

    /** {@code float32} or {@code float16}, as the CLI and files name it. */
    public String label() {
        return label;
    }

    /**
     * A resolved choice and, when the request was not honoured literally, why.
     *
     * @param precision what the model runs in
     * @param note one sentence for the user (bfloat16 run as float16, auto's choice), or {@code null}
     */
    public record Choice(Precision precision, String note) {
    }

    /**
     * Resolves a requested dtype name.
     *
     * <p>{@code auto} is float16 on CUDA and float32 on CPU, with a quantized base too: libtorch's CPU
     * float16 kernels are slow (a DPO step of a 135M model took 46 s in float16 against 3.3 s in float32,
     * docs/benchmarks.md), so on CPU float16 is for memory and must be asked for.
     *
     * @param requested one of {@link #NAMES} (case-insensitive, {@code torch.} prefix allowed), or
     *     {@code null} for auto
     * @param device where the model will run
     * @return the choice
     * @throws IllegalArgumentException for an unknown name, listing the accepted ones
     */
    public static Choice resolve(String requested, Device device) {
        String name = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("torch.")) {
            name = name.substring("torch.".length());
        }
        return switch (name) {
            case "auto" -> new Choice(device != null && device.isGpu() ? FLOAT16 : FLOAT32, null);
            case "float32", "fp32", "float", "f32" -> new Choice(FLOAT32, null);
            case "float16", "fp16", "half", "f16" -> new Choice(FLOAT16, null);
            case "bfloat16", "bf16" -> new Choice(FLOAT16, "bfloat16 requested: DJL's engine has no bfloat16, so the"
                    + " model runs in float16 (float32 LoRA masters, dynamic loss scaling when training)");
            default -> throw new IllegalArgumentException("unknown dtype '" + requested + "' (use " + NAMES + ")");
        };
    }

    /**
     * The precision of an engine type.
     *
     * @param type FLOAT32 or FLOAT16
     * @return the precision
     * @throws IllegalArgumentException for any other type
     */
    public static Precision of(DataType type) {
        for (Precision p : values()) {
            if (p.dataType == type) {
                return p;
            }
        }
        throw new IllegalArgumentException("no precision for data type " + type + " (float32 or float16)");
    }
}
