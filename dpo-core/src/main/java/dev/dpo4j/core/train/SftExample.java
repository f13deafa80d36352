package dev.dpo4j.core.train;

import java.util.Arrays;

/**
 * One tokenized supervised example: the loss covers the completion tokens only (TRL's
 * completion-only loss).
 *
 * @param promptIds the context (chat-formatted conversation up to the answer), at least one token
 * @param completionIds the target tokens, at least one
 */
public record SftExample(long[] promptIds, long[] completionIds) {
    /** Validates both parts are non-empty. */
    public SftExample {
        if (promptIds.length == 0 || completionIds.length == 0) {
            throw new IllegalArgumentException("an SFT example needs at least one prompt and one completion token");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SftExample e && Arrays.equals(promptIds, e.promptIds)
                && Arrays.equals(completionIds, e.completionIds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(promptIds) + Arrays.hashCode(completionIds);
    }

    @Override
    public String toString() {
        return "SftExample[prompt=" + promptIds.length + " tokens, completion=" + completionIds.length + "]";
    }
}
