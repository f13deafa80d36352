package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.JsonlJournal;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.data.io.DatasetException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * Reads a stage's journal ({@link JsonlJournal#read}) into entries by key; a later line for a key
     * wins (a failure asked again with {@code optRetryFailures}).
     *
     * @param path the file; a missing file is empty
     * @param keyField the key's field name
     * @param parse reads a value from a line
     * @param keepFailures false to leave failures out, so they are asked again
     * @param <T> the value's type
     * @return the entries in file order of their first line
     * @throws DatasetException naming file and line when a line is not a valid entry
     */
    static <T> Map<String, Journaled<T>> load(Path path, String keyField, Function<JsonNode, T> parse,
            boolean keepFailures) {
        Map<String, Journaled<T>> entries = new LinkedHashMap<>();
        for (JsonlRow row : JsonlJournal.read(path)) {
            Journaled<T> entry;
            try {
                entry = fromJson(row.value(), keyField, parse);
            } catch (IllegalArgumentException e) {
                throw new DatasetException(row.source(), row.lineNumber(), "not a valid journal line: " + e.getMessage());
            }
            if (entry.ok() || keepFailures) {
                entries.put(entry.key(), entry);
            }
        }
        return entries;
    }
}
