package dev.dpo4j.core.hub;

import java.util.Objects;

/**
 * A failure to resolve or download from the Hugging Face Hub or its local cache.
 *
 * <p>The {@link Kind} tells callers what went wrong without parsing the message; the
 * message says it for people, naming the repository, revision, file or path involved.
 * Messages never contain the access token: every message is passed through
 * {@link #scrub(String, String)} by the code that builds it.
 */
public final class HubException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** A model reference could not be parsed. */
        INVALID_REFERENCE,
        /** A path given as a local model directory does not exist or is not a directory. */
        LOCAL_NOT_FOUND,
        /** HTTP 401: the repository needs a token and none (or an invalid one) was sent. */
        AUTH_REQUIRED,
        /** HTTP 403: the repository is gated or the token lacks access. */
        GATED,
        /** HTTP 404 (or the Hub's {@code RepoNotFound}): the repository does not exist. */
        REPO_NOT_FOUND,
        /** The Hub's {@code RevisionNotFound}: the branch, tag or commit does not exist. */
        REVISION_NOT_FOUND,
        /** The Hub's {@code EntryNotFound}, or a 404 on a file URL: the file does not exist. */
        FILE_NOT_FOUND,
        /** The repository holds no {@code *.safetensors} weights. */
        NO_WEIGHTS,
        /** Offline mode is on and the cache lacks what is needed. */
        OFFLINE,
        /** Not enough disk space for a download. */
        DISK_FULL,
        /** The downloaded bytes do not match the announced size or sha256. */
        CHECKSUM_MISMATCH,
        /** The connection failed repeatedly; bounded retries were used up. */
        NETWORK,
        /** Any other HTTP status, or a response the client cannot use. */
        HTTP,
        /** A local file-system failure in the cache. */
        IO
    }

    /** What went wrong. */
    private final Kind kind;

    /**
     * Creates an exception.
     *
     * @param kind what went wrong
     * @param message the message for people, already free of the token
     */
    public HubException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Creates an exception with a cause.
     *
     * @param kind what went wrong
     * @param message the message for people, already free of the token
     * @param cause the underlying failure
     */
    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Returns what went wrong.
     *
     * @return the kind of failure
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Replaces every occurrence of the token in a text with {@code ***}, so that server
     * responses echoing the token can be quoted safely.
     *
     * @param text the text, possibly {@code null}
     * @param token the token, possibly {@code null}
     * @return the text without the token
     */
    public static String scrub(String text, String token) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        return text.replace(token, "***");
    }
}
