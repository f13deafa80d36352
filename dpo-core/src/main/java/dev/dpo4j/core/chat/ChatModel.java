package dev.dpo4j.core.chat;

/**
 * Something that answers chat requests: a remote OpenAI-compatible endpoint or a local model.
 *
 * <p>Implementations are safe to call from several threads at once; {@link #maxConcurrency()}
 * tells a caller how many requests are worth having in flight (a local model on one device
 * answers one at a time, an HTTP client as many as its connection limit allows).
 */
public interface ChatModel extends AutoCloseable {

    /**
     * Answers one request, blocking until the answer is complete.
     *
     * @param request the request
     * @return the answer with its choices and token usage
     * @throws ChatException when the request fails for good (after any retries the
     *     implementation makes) or the answer is malformed
     */
    ChatResponse chat(ChatRequest request);

    /**
     * The model name written into metadata and cache keys (a Hub id, a served model name or a
     * local directory name).
     *
     * @return the model name; never null
     */
    String name();

    /**
     * How many requests a caller should keep in flight at most.
     *
     * @return at least 1; 1 by default
     */
    default int maxConcurrency() {
        return 1;
    }

    /** Releases connections, caches and native memory; the default does nothing. */
    @Override
    default void close() {
    }
}
