package dev.dpo4j.core.chat;

import java.time.Duration;

/**
 * One failed HTTP attempt, before the retry loop decides whether to repeat it. Carries what a
 * {@link ChatException} needs plus the server's {@code Retry-After}. The message is already free
 * of secrets.
 */
final class AttemptFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ChatException.Kind kind;
    private final int status;
    private final transient Duration retryAfter;

    /**
     * @param kind what went wrong
     * @param status the HTTP status, or 0 when there was none
     * @param retryAfter the wait the server asked for, or null
     * @param message the explanation, naming the endpoint; free of secrets
     * @param cause the underlying exception, or null
     */
    AttemptFailedException(ChatException.Kind kind, int status, Duration retryAfter, String message,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    ChatException.Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    /** The wait the server asked for, or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The final exception for a call that gives up after this failure.
     *
     * @param attempts the attempts made
     * @param retried whether the failure was one the policy retries (so the message says the
     *     attempts ran out)
     * @return the exception
     */
    ChatException toChatException(int attempts, boolean retried) {
        String message = retried
                ? "chat request failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                        + "; last: " + getMessage()
                : getMessage();
        return new ChatException(kind, status, attempts, message, getCause());
    }
}
