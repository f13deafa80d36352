package dev.dpo4j.core.chat;

/**
 * Tokens a request consumed, as the OpenAI {@code usage} object reports them.
 *
 * @param promptTokens tokens in the request ({@code prompt_tokens})
 * @param completionTokens tokens generated over all choices ({@code completion_tokens})
 */
public record TokenUsage(long promptTokens, long completionTokens) {

    /** No tokens. */
    public static final TokenUsage ZERO = new TokenUsage(0, 0);

    /** Validates that both counts are non-negative. */
    public TokenUsage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, got " + promptTokens + ", " + completionTokens);
        }
    }

    /**
     * Prompt plus completion tokens.
     *
     * @return the total
     */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * The sum of two usages.
     *
     * @param other the other usage
     * @return a new usage with both counts added
     */
    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
    }
}
