package dev.dpo4j.core.generate;

/** Why a generation ended. */
public enum FinishReason {
    /** An end-of-sequence token was generated (it is the last output token). */
    EOS,
    /** The decoded new text contains a stop string. */
    STOP_STRING,
    /** {@code max_new_tokens} was reached. */
    LENGTH
}
