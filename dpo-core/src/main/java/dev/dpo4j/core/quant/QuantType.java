package dev.dpo4j.core.quant;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The number formats a frozen base weight can be stored in, by the names Hugging Face users know from
 * transformers' {@code BitsAndBytesConfig}: {@code bnb_4bit_quant_type} {@code "nf4"} or {@code "fp4"}
 * ({@code load_in_4bit}), and {@code "int8"} for {@code load_in_8bit}.
 *
 * <ul>
 *   <li>{@link #NF4}: 4-bit NormalFloat, blockwise absmax (Dettmers et al. 2023, "QLoRA: Efficient
 *       Finetuning of Quantized LLMs", section 3 and Appendix E).
 *   <li>{@link #FP4}: bitsandbytes' 4-bit float (1 sign, 2 exponent, 1 mantissa bit), blockwise absmax.
 *   <li>{@link #INT8}: weight-only int8 with one absmax per output row, the vector-wise quantization of
 *       Dettmers et al. 2022, "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale", without
 *       its outlier decomposition (that part concerns activations, which stay in float here).
 * </ul>
 */
public enum QuantType {
    /** 4-bit NormalFloat ({@code "nf4"}). */
    NF4("nf4", 4),
    /** bitsandbytes' 4-bit float ({@code "fp4"}). */
    FP4("fp4", 4),
    /** Row-wise absmax int8 ({@code "int8"}). */
    INT8("int8", 8);

    private final String hfName;
    private final int bits;

    QuantType(String hfName, int bits) {
        this.hfName = hfName;
        this.bits = bits;
    }

    /** @return the Hugging Face / bitsandbytes name, e.g. {@code "nf4"} */
    public String hfName() {
        return hfName;
    }

    /** @return bits per stored weight value: 4 or 8 */
    public int bits() {
        return bits;
    }

    /**
     * Looks a type up by name (trimmed, case-insensitive).
     *
     * @param name {@code "nf4"}, {@code "fp4"} or {@code "int8"}
     * @return its constant
     * @throws IllegalArgumentException naming the valid names when it is unknown
     */
    public static QuantType fromName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("quantization type must not be null; valid names: "
                    + String.join(", ", names()));
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (QuantType t : values()) {
            if (t.hfName.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown quantization type '" + name + "'; valid names: "
                + String.join(", ", names()));
    }

    /** @return every valid name, in declaration order */
    public static List<String> names() {
        return Arrays.stream(values()).map(QuantType::hfName).toList();
    }
}
