package dev.dpo4j.core.train;

import java.util.Arrays;

/**
 * One tokenized preference pair: a prompt and two completions of it, the chosen one preferred.
 *
 * <p>The ids are the model's input: the prompt with any BOS and chat-template tokens, each completion
 * without (and with EOS where the data pipeline appended it). A completion's log-prob is the sum of
 * {@code log p(token | prompt, earlier completion tokens)} over its own tokens.
 *
 * @param promptIds the prompt
 * @param chosenIds the preferred completion, at least one token
 * @param rejectedIds the other completion, at least one token
 */
public record PreferencePair(long[] promptIds, long[] chosenIds, long[] rejectedIds) {
    /** Validates: the prompt may be empty only when it is shared by nothing (never in practice); completions not. */
    public PreferencePair {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("a preference pair needs at least one prompt token");
        }
        if (chosenIds.length == 0 || rejectedIds.length == 0) {
            throw new IllegalArgumentException("chosen and rejected need at least one token each");
        }
    }

    /** Tokens of the shared layout {@code [prompt, chosen, rejected]}. */
    public int sharedLength() {
        return promptIds.length + chosenIds.length + rejectedIds.length;
    }

    /** Tokens of the two separate sequences {@code [prompt, chosen]} and {@code [prompt, rejected]}. */
    public int unsharedLength() {
        return 2 * promptIds.length + chosenIds.length + rejectedIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferencePair p && Arrays.equals(promptIds, p.promptIds)
                && Arrays.equals(chosenIds, p.chosenIds) && Arrays.equals(rejectedIds, p.rejectedIds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(promptIds) + Arrays.hashCode(chosenIds)) + Arrays.hashCode(rejectedIds);
    }

    @Override
    public String toString() {
        return "PreferencePair[prompt=" + promptIds.length + " tokens, chosen=" + chosenIds.length
                + ", rejected=" + rejectedIds.length + "]";
    }
}
