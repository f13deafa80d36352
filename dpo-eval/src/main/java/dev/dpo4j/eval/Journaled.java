package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * One journal line: the answer to one request (or one item's pair of requests), or its failure.
 * The line is {@code {"<keyField>": key, ...the value's fields}} or
 * {@code {"<keyField>": key, "failed": {"kind", "message", "attempts"}}}.
 *
 * @param key the article id (questions) or the item id (other stages)
 * @param value the answer, or null when the request failed
 * @param failure why the request failed, or null when it was answered
 * @param <T> the answer's type
 */
record Journaled<T>(String key, T value, Failure failure) {

    /** Validates that exactly one of value and failure is set. */
    Journaled {
        if ((value == null) == (failure == null)) {
            throw new IllegalArgumentException("a journal entry holds either a value or a failure (key " + key + ")");
        }
    }

    /** @return whether the request was answered */
    boolean ok() {
        return value != null;
    }

    /**
     * The journal line.
     *
     * @param keyField the key's field name
     * @param json the value's fields
     * @return the line
     */
    ObjectNode toJson(String keyField, Function<T, ObjectNode> json) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put(keyField, key);
        if (failure != null) {
            line.set("failed", failure.toJson());
        } else {
            json.apply(value).fields().forEachRemaining(f -> {
                if (!f.getKey().equals(keyField)) {
                    line.set(f.getKey(), f.getValue());
                }
            });
        }
        return line;
    }

    /**
     * Reads a journal line.
     *
     * @param line the line
     * @param keyField the key's field name
     * @param parse reads the value from the line
     * @param <T> the value's type
     * @return the entry
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static <T> Journaled<T> fromJson(JsonNode line, String keyField, Function<JsonNode, T> parse) {
        JsonNode key = line.get(keyField);
        if (key == null || !key.isTextual()) {
            throw new IllegalArgumentException("field '" + keyField + "' must be a string");
        }
        if (line.has("failed")) {
            return new Journaled<>(key.asText(), null, Failure.fromJson(line.get("failed")));
        }
        return new Journaled<>(key.asText(), parse.apply(line), null);
    }
}
