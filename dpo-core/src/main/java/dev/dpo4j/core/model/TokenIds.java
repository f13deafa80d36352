package dev.dpo4j.core.model;

/** Checks token ids against a vocabulary before they reach the engine. */
public final class TokenIds {
    private TokenIds() {
    }

    /**
     * Fails when an id is outside {@code [0, vocabSize)}.
     *
     * @param ids the ids
     * @param vocabSize V
     * @param what names the ids in the message, e.g. "row 3 prompt_ids"
     * @throws IllegalArgumentException naming the position and the id
     */
    public static void check(long[] ids, int vocabSize, String what) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(what + ": token id " + ids[i] + " at index " + i
                        + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }
}
