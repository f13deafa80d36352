package dev.dpo4j.core.generate;

/** Turns token ids into text; used to detect stop strings ({@code Tokenizer::decode} fits). */
@FunctionalInterface
public interface TokenDecoder {
    /**
     * Decodes.
     *
     * @param ids token ids
     * @return their text
     */
    String decode(long[] ids);
}
