package dev.dpo4j.core.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * A small bounded retry with exponential backoff for connection failures, truncated bodies
 * and HTTP 5xx/429 answers. A retried download resumes from its partial file.
 *
 * @param maxAttempts the number of attempts in total, at least 1; default 5
 * @param initialBackoff the wait after the first failure, doubled after each further one;
 *     default 1 s
 * @param maxBackoff the longest single wait; default 30 s
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Five attempts, waiting 1, 2, 4 and 8 seconds between them. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    /**
     * Validates the policy.
     *
     * @param maxAttempts the number of attempts in total
     * @param initialBackoff the first wait
     * @param maxBackoff the longest wait
     * @throws IllegalArgumentException when an attempt count or duration is out of range
     */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
    }

    /**
     * Returns the wait before the next attempt.
     *
     * @param failedAttempts the attempts that failed so far, at least 1
     * @return {@code min(maxBackoff, initialBackoff * 2^(failedAttempts - 1))}
     */
    public Duration backoff(int failedAttempts) {
        int shift = Math.min(30, Math.max(0, failedAttempts - 1));
        Duration wait = initialBackoff.multipliedBy(1L << shift);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /**
     * Sleeps for {@link #backoff(int)}.
     *
     * @param failedAttempts the attempts that failed so far
     * @throws HubException of kind {@code NETWORK} when the thread is interrupted
     */
    void sleep(int failedAttempts) {
        try {
            Thread.sleep(backoff(failedAttempts).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "interrupted while waiting to retry a Hub request", e);
        }
    }
}
