package dev.dpo4j.core.chat;

/**
 * What an endpoint charges, in US dollars per million tokens, used to turn token usage into a
 * cost estimate ({@link ChatUsage#costUsd()}). Prices are the provider's list prices; a local
 * server is {@link #FREE}.
 *
 * @param inputPerMillionTokens dollars per million prompt tokens, at least 0
 * @param outputPerMillionTokens dollars per million completion tokens, at least 0
 */
public record ChatPricing(double inputPerMillionTokens, double outputPerMillionTokens) {

    /** No charge: the default, and right for a local vLLM, Ollama or llama.cpp server. */
    public static final ChatPricing FREE = new ChatPricing(0, 0);

    /**
     * Validates that both prices are finite and non-negative.
     *
     * @param inputPerMillionTokens dollars per million prompt tokens
     * @param outputPerMillionTokens dollars per million completion tokens
     * @throws IllegalArgumentException when a price is negative or not finite
     */
    public ChatPricing {
        if (!(inputPerMillionTokens >= 0 && Double.isFinite(inputPerMillionTokens))
                || !(outputPerMillionTokens >= 0 && Double.isFinite(outputPerMillionTokens))) {
            throw new IllegalArgumentException("ChatPricing prices must be finite and >= 0, got input "
                    + inputPerMillionTokens + ", output " + outputPerMillionTokens);
        }
    }

    /**
     * The cost of the given token counts.
     *
     * @param promptTokens prompt tokens
     * @param completionTokens completion tokens
     * @return {@code promptTokens * input / 1e6 + completionTokens * output / 1e6} dollars
     */
    public double cost(long promptTokens, long completionTokens) {
        return promptTokens * inputPerMillionTokens / 1e6 + completionTokens * outputPerMillionTokens / 1e6;
    }

    /**
     * The cost of one request's usage.
     *
     * @param usage the tokens the request consumed
     * @return the cost in dollars
     */
    public double cost(TokenUsage usage) {
        return cost(usage.promptTokens(), usage.completionTokens());
    }
}
