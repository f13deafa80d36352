package dev.dpo4j.core.tokenizer;

import java.util.Arrays;

/**
 * A prompt and its completion as token ids, with the boundary between them exact: the model's
 * input is {@code promptIds ++ completionIds} and only {@code completionIds} are scored.
 * See {@link Tokenizer#encodePair(String, String, boolean)} for how the two halves are encoded.
 *
 * @param promptIds the prompt's token ids, including the BOS token where the tokenizer adds one
 * @param completionIds the completion's token ids, with the EOS token appended when requested
 */
public record EncodedPair(long[] promptIds, long[] completionIds) {

    /** Copies both arrays so the record is immutable. */
    public EncodedPair {
        promptIds = promptIds.clone();
        completionIds = completionIds.clone();
    }

    /**
     * The prompt's token ids.
     *
     * @return a copy of the prompt ids
     */
    @Override
    public long[] promptIds() {
        return promptIds.clone();
    }

    /**
     * The completion's token ids.
     *
     * @return a copy of the completion ids
     */
    @Override
    public long[] completionIds() {
        return completionIds.clone();
    }

    /**
     * The full sequence the model reads.
     *
     * @return {@code promptIds ++ completionIds}
     */
    public long[] concatenated() {
        long[] all = Arrays.copyOf(promptIds, promptIds.length + completionIds.length);
        System.arraycopy(completionIds, 0, all, promptIds.length, completionIds.length);
        return all;
    }

    /**
     * Compares the token ids element by element.
     *
     * @param other another object
     * @return true when both id arrays are equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedPair p
                && Arrays.equals(promptIds, p.promptIds)
                && Arrays.equals(completionIds, p.completionIds);
    }

    /**
     * A hash of both id arrays.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(promptIds) + Arrays.hashCode(completionIds);
    }

    /**
     * The ids, for debugging.
     *
     * @return both id arrays as text
     */
    @Override
    public String toString() {
        return "EncodedPair[promptIds=" + Arrays.toString(promptIds)
                + ", completionIds=" + Arrays.toString(completionIds) + "]";
    }
}
