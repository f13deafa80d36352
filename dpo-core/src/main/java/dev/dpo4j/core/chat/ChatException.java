package dev.dpo4j.core.chat;

/**
 * A chat request that failed for good, or an answer that could not be used. The message names
 * the endpoint's host and path and the HTTP status, never a header or API key.
 */
public final class ChatException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The server answered with an HTTP error status (see {@link #status()}). */
        HTTP_STATUS,
        /** The request timed out. */
        TIMEOUT,
        /** The connection failed or was reset. */
        CONNECTION,
        /** The server's body was not a valid chat-completion response (truncated, not JSON). */
        MALFORMED_RESPONSE,
        /** The model's answer did not contain the structured output asked for. */
        UNPARSEABLE_OUTPUT,
        /** The client's own limits (request budget) refused the request. */
        REFUSED
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final int status;
    private final int attempts;

    /**
     * @param kind what went wrong
     * @param status the HTTP status, or 0 when there was none
     * @param attempts how many attempts were made (1 when not retried)
     * @param message the explanation; must not contain secrets
     * @param cause the underlying exception, or null
     */
    public ChatException(Kind kind, int status, int attempts, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.attempts = attempts;
    }

    /**
     * @param kind what went wrong
     * @param message the explanation; must not contain secrets
     */
    public ChatException(Kind kind, String message) {
        this(kind, 0, 1, message, null);
    }

    /**
     * @return what went wrong
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the HTTP status, or 0 when there was none
     */
    public int status() {
        return status;
    }

    /**
     * @return how many attempts were made
     */
    public int attempts() {
        return attempts;
    }
}
