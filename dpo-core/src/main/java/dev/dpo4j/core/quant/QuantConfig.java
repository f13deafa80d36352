package dev.dpo4j.core.quant;

/**
 * The subset of transformers' {@code BitsAndBytesConfig} dpo4j honours, validated here and nowhere else.
 *
 * <p>The Hugging Face names: {@code type} is {@code bnb_4bit_quant_type} ({@code "nf4"} or
 * {@code "fp4"}, with {@code load_in_4bit}) or {@code load_in_8bit} ({@code "int8"});
 * {@code doubleQuant} is {@code bnb_4bit_use_double_quant}; {@code blockSize} is bitsandbytes'
 * {@code blocksize} of {@code quantize_4bit}, which transformers leaves at 64.
 *
 * <ul>
 *   <li>4-bit ({@link QuantType#NF4}, {@link QuantType#FP4}): {@code blockSize} values share one absmax
 *       scale; default 64, any power of two from 16 to 4096 (bitsandbytes' largest). Smaller blocks
 *       are more accurate and cost 4 bytes of scale per block (0.5 bit per value at 64).
 *       {@code doubleQuant} (QLoRA's "DQ") stores those scales in 8 bits instead of 32, saving about
 *       0.37 bit per value at block size 64 for a small extra error (see {@link DoubleQuantizedAbsmax}).
 *   <li>{@link QuantType#INT8}: one scale per output row, so {@code blockSize} does not apply and is
 *       stored as 0 whatever was given; {@code doubleQuant} must be false.
 * </ul>
 *
 * <p>References: Dettmers et al. 2023, "QLoRA: Efficient Finetuning of Quantized LLMs"; Dettmers et al.
 * 2022, "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale".
 *
 * @param type the number format
 * @param doubleQuant whether the 4-bit absmax scales are themselves quantized to 8 bits
 * @param blockSize values per absmax block for 4-bit types; 0 for INT8
 */
public record QuantConfig(QuantType type, boolean doubleQuant, int blockSize) {

    /** bitsandbytes' and transformers' default 4-bit block size. */
    public static final int DEFAULT_BLOCK_SIZE = 64;
    /** The smallest 4-bit block size accepted. */
    public static final int MIN_BLOCK_SIZE = 16;
    /** The largest 4-bit block size accepted (bitsandbytes' largest). */
    public static final int MAX_BLOCK_SIZE = 4096;

    /** Validates; INT8's block size is normalised to 0. */
    public QuantConfig {
        if (type == null) {
            throw new IllegalArgumentException("quantization type must not be null; valid names: "
                    + String.join(", ", QuantType.names()));
        }
        if (type == QuantType.INT8) {
            if (doubleQuant) {
                throw new IllegalArgumentException("int8 does not take double quantization (doubleQuant=true):"
                        + " bnb_4bit_use_double_quant applies to nf4 and fp4 only");
            }
            blockSize = 0;
        } else if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException(type.hfName() + " block size " + blockSize
                    + " must be a power of two from " + MIN_BLOCK_SIZE + " to " + MAX_BLOCK_SIZE
                    + " (default " + DEFAULT_BLOCK_SIZE + ")");
        }
    }

    /**
     * NF4 with block size 64, as {@code BitsAndBytesConfig(load_in_4bit=True,
     * bnb_4bit_quant_type="nf4")}.
     *
     * @param doubleQuant {@code bnb_4bit_use_double_quant}
     * @return the config
     */
    public static QuantConfig nf4(boolean doubleQuant) {
        return new QuantConfig(QuantType.NF4, doubleQuant, DEFAULT_BLOCK_SIZE);
    }

    /**
     * FP4 with block size 64, as {@code BitsAndBytesConfig(load_in_4bit=True,
     * bnb_4bit_quant_type="fp4")}.
     *
     * @param doubleQuant {@code bnb_4bit_use_double_quant}
     * @return the config
     */
    public static QuantConfig fp4(boolean doubleQuant) {
        return new QuantConfig(QuantType.FP4, doubleQuant, DEFAULT_BLOCK_SIZE);
    }

    /**
     * Row-wise int8, as {@code BitsAndBytesConfig(load_in_8bit=True)} without the outlier decomposition.
     *
     * @return the config
     */
    public static QuantConfig int8() {
        return new QuantConfig(QuantType.INT8, false, 0);
    }

    /** @return bits per stored weight value: 4 or 8 */
    public int bits() {
        return type.bits();
    }

    /**
     * A short label for fingerprints and logs: the type name, {@code -dq} with double quantization and
     * {@code -b} with the block size for 4-bit types, e.g. {@code "nf4-dq-b64"}, {@code "fp4-b128"},
     * {@code "int8"}.
     *
     * @return the label
     */
    public String label() {
        if (type == QuantType.INT8) {
            return type.hfName();
        }
        return type.hfName() + (doubleQuant ? "-dq" : "") + "-b" + blockSize;
    }
}
