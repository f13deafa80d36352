package dev.dpo4j.core.chat;

import java.util.Locale;

/**
 * A snapshot of what a chat client has done so far ({@link OpenAiChatClient#usage()}).
 *
 * @param requestsSent HTTP requests sent, retries included
 * @param responses successful answers received from a server
 * @param cacheHits answers served from the on-disk response cache (no request, no tokens)
 * @param retries requests that repeated a failed one
 * @param failures calls that failed for good (after any retries)
 * @param promptTokens prompt tokens the server reported, summed over its answers
 * @param completionTokens completion tokens the server reported, summed over its answers
 * @param costUsd the cost of those tokens under the client's {@link ChatPricing}, in dollars
 */
public record ChatUsage(
        long requestsSent,
        long responses,
        long cacheHits,
        long retries,
        long failures,
        long promptTokens,
        long completionTokens,
        double costUsd) {

    /**
     * Prompt plus completion tokens.
     *
     * @return the total tokens
     */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * One line for a log or a report, e.g.
     * {@code "12 answers (3 cached), 10 requests (1 retry), 0 failed, 1200 prompt + 340 completion tokens, $0.0031"}.
     *
     * @return the summary
     */
    public String summary() {
        return String.format(Locale.ROOT,
                "%d answers (%d cached), %d requests (%d %s), %d failed, %d prompt + %d completion tokens, $%.4f",
                responses + cacheHits, cacheHits, requestsSent, retries, retries == 1 ? "retry" : "retries",
                failures, promptTokens, completionTokens, costUsd);
    }
}
