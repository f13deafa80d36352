package dev.dpo4j.core.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how long the chat client waits before repeating a failed request: exponential
 * backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015), and
 * the server's {@code Retry-After} when it sends one. This class is the one place that decides
 * which failures are worth a retry.
 *
 * @param maxAttempts requests per call in total, first one included, at least 1; default 6
 * @param baseDelay the backoff ceiling after the first failure, doubled after each further one;
 *     default 500 ms
 * @param maxDelay the largest backoff ceiling; default 30 s
 * @param maxRetryAfter the longest {@code Retry-After} wait honoured; a longer one is cut to
 *     this; default 120 s
 */
public record ChatRetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** Six attempts, backoff ceilings of 0.5, 1, 2, 4 and 8 s, {@code Retry-After} up to 120 s. */
    public static final ChatRetryPolicy DEFAULT =
            new ChatRetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(120));

    /** Makes one attempt only. */
    public static final ChatRetryPolicy NONE = new ChatRetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /**
     * Validates the policy.
     *
     * @param maxAttempts requests per call in total
     * @param baseDelay the first backoff ceiling
     * @param maxDelay the largest backoff ceiling
     * @param maxRetryAfter the longest {@code Retry-After} honoured
     * @throws IllegalArgumentException when the attempt count is below 1 or a duration is negative
     */
    public ChatRetryPolicy {
        Objects.requireNonNull(baseDelay, "ChatRetryPolicy.baseDelay");
        Objects.requireNonNull(maxDelay, "ChatRetryPolicy.maxDelay");
        Objects.requireNonNull(maxRetryAfter, "ChatRetryPolicy.maxRetryAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("ChatRetryPolicy.maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("ChatRetryPolicy delays must not be negative");
        }
    }

    /**
     * A policy like this one with another attempt count.
     *
     * @param attempts requests per call in total
     * @return the new policy
     */
    public ChatRetryPolicy withMaxAttempts(int attempts) {
        return new ChatRetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter);
    }

    /**
     * Whether an HTTP status is transient: 408 (request timeout), 409 (conflict, e.g. a
     * concurrent-request lock), 429 (rate limited) and every 5xx.
     *
     * @param status the HTTP status
     * @return true when a repeat may succeed
     */
    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /**
     * Whether a failed attempt is worth repeating: transient statuses, timeouts, connection
     * faults and malformed (for example truncated) bodies are; other statuses, unusable model
     * output and the client's own refusals are not.
     *
     * @param kind what went wrong
     * @param status the HTTP status, or 0 when there was none
     * @return true when a repeat may succeed
     */
    public boolean isRetryable(ChatException.Kind kind, int status) {
        return switch (kind) {
            case HTTP_STATUS -> isRetryableStatus(status);
            case TIMEOUT, CONNECTION, MALFORMED_RESPONSE -> true;
            case UNPARSEABLE_OUTPUT, REFUSED -> false;
        };
    }

    /**
     * The backoff ceiling after some failures: {@code min(maxDelay, baseDelay * 2^(failedAttempts - 1))}.
     *
     * @param failedAttempts the attempts that failed so far, at least 1
     * @return the ceiling
     */
    public Duration backoffCeiling(int failedAttempts) {
        int shift = Math.min(30, Math.max(0, failedAttempts - 1));
        long millis = baseDelay.toMillis();
        long ceiling = millis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : millis << shift;
        return Duration.ofMillis(Math.min(ceiling, maxDelay.toMillis()));
    }

    /**
     * The wait before the next attempt: the server's {@code Retry-After} (cut to
     * {@link #maxRetryAfter()}) when it sent one, else a uniformly random fraction of
     * {@link #backoffCeiling(int)} ("full jitter"), so that many clients failing together do not
     * retry together.
     *
     * @param failedAttempts the attempts that failed so far, at least 1
     * @param retryAfter the server's requested wait, or null
     * @param unitRandom a random number in [0, 1)
     * @return the wait
     */
    public Duration delay(int failedAttempts, Duration retryAfter, double unitRandom) {
        if (retryAfter != null) {
            Duration wait = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
            return wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait;
        }
        double fraction = Math.min(1.0, Math.max(0.0, unitRandom));
        return Duration.ofMillis((long) Math.floor(backoffCeiling(failedAttempts).toMillis() * fraction));
    }
}
