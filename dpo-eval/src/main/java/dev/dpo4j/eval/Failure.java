package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatException;
import java.util.Objects;

/**
 * Why a request failed for good: a {@link ChatException} after the client's own retries (an HTTP
 * error, a timeout, an answer that is not the JSON asked for), or another exception the model threw.
 * Recorded in the journal instead of an answer and counted in the report.
 *
 * @param kind the {@link ChatException.Kind} name, or the exception's simple class name
 * @param message the explanation (never holds a secret: chat clients keep keys out of messages)
 * @param attempts how many attempts the client made
 */
record Failure(String kind, String message, int attempts) {

    /** Validates the fields. */
    Failure {
        Objects.requireNonNull(kind, "Failure.kind must not be null");
        message = message == null ? "" : message;
    }

    /**
     * The failure a request's exception stands for.
     *
     * @param e the exception
     * @return the failure
     */
    static Failure of(RuntimeException e) {
        if (e instanceof ChatException c) {
            return new Failure(c.kind().name(), c.getMessage(), c.attempts());
        }
        return new Failure(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), 1);
    }

    /** @return {@code {"kind", "message", "attempts"}} */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", kind);
        node.put("message", message);
        node.put("attempts", attempts);
        return node;
    }

    /**
     * Reads {@link #toJson()}.
     *
     * @param node the object
     * @return the failure
     * @throws IllegalArgumentException when {@code kind} is missing
     */
    static Failure fromJson(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("kind").isTextual()) {
            throw new IllegalArgumentException("field 'failed' must be an object with a string 'kind'");
        }
        return new Failure(node.get("kind").asText(), node.path("message").asText(""), node.path("attempts").asInt(1));
    }
}
