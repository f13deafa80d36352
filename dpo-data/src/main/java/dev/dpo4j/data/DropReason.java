package dev.dpo4j.data;

/**
 * Why {@link PreferenceDataset} left a row out. Every row read is either kept or counted under
 * exactly one reason, checked in this order (the first that applies is recorded).
 */
public enum DropReason {

    /** The row could not be read or adapted (a missing field, a wrong type, bad JSON). */
    MALFORMED("malformed", "row could not be read or adapted"),
    /** The prompt, chosen or rejected text is empty or only whitespace. */
    EMPTY("empty", "empty prompt, chosen or rejected"),
    /** Chosen equals rejected, so the pair carries no preference. */
    IDENTICAL("identical", "chosen equals rejected"),
    /** The same prompt, chosen and rejected as an earlier kept row. */
    DUPLICATE("duplicate", "same prompt, chosen and rejected as an earlier row"),
    /** The prompt is longer than the prompt limit. */
    PROMPT_TOO_LONG("prompt_too_long", "prompt over the prompt limit"),
    /** Chosen or rejected is longer than the response limit. */
    RESPONSE_TOO_LONG("response_too_long", "chosen or rejected over the response limit"),
    /** Prompt plus the longer response is over the total limit. */
    TOTAL_TOO_LONG("total_too_long", "prompt + longer response over the total limit");

    private final String key;
    private final String description;

    DropReason(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /**
     * The snake_case name used in JSON and tables.
     *
     * @return e.g. {@code "prompt_too_long"}
     */
    public String key() {
        return key;
    }

    /**
     * What the reason means, in words.
     *
     * @return the description
     */
    public String description() {
        return description;
    }
}
