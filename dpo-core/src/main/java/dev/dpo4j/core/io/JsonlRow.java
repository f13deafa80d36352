package dev.dpo4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One object read from a JSON Lines file, with where it came from.
 *
 * <p>The typed accessors fail with a {@link JsonlException} that names the file, the line and
 * the field ({@code "prefs.jsonl:12: field 'prompt_ids' element [3] must be an integer, found
 * number 1.5"}), so a reader of any format built on this one reports bad rows the same way.
 * A field that is present with the JSON value {@code null} counts as absent.
 *
 * @param source the file as the user named it, or {@code <stdin>}
 * @param lineNumber the 1-based line number of the row in the file
 * @param value the parsed object; mutable, as Jackson's tree is, so treat it as read-only
 */
public record JsonlRow(String source, int lineNumber, ObjectNode value) {

    /** The source name of rows that were not read from a file. */
    public static final String IN_MEMORY = "<memory>";

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code source} or {@code value} is null
     * @throws IllegalArgumentException if {@code lineNumber} is negative
     */
    public JsonlRow {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(value, "value");
        if (lineNumber < 0) {
            throw new IllegalArgumentException("lineNumber must be >= 0, got " + lineNumber);
        }
    }

    /**
     * Creates a row that was not read from a file (its errors name {@value #IN_MEMORY}).
     *
     * @param lineNumber the 1-based position of the row among its siblings
     * @param value the object
     */
    public JsonlRow(int lineNumber, ObjectNode value) {
        this(IN_MEMORY, lineNumber, value);
    }

    /**
     * Returns whether the row has a field with a non-null value.
     *
     * @param field the field name
     * @return {@code true} if the field is present and not JSON {@code null}
     */
    public boolean has(String field) {
        return value.hasNonNull(field);
    }

    /**
     * Returns a string field.
     *
     * @param field the field name
     * @return the string, or empty if the field is absent or null
     * @throws JsonlException if the field holds something other than a string
     */
    public Optional<String> text(String field) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw error("field '" + field + "' must be a string, found " + JsonlCodec.describe(node));
        }
        return Optional.of(node.textValue());
    }

    /**
     * Returns a string field that must be present.
     *
     * @param field the field name
     * @return the string
     * @throws JsonlException if the field is absent, null, or not a string
     */
    public String requireText(String field) {
        return text(field).orElseThrow(() -> missing(field));
    }

    /**
     * Returns an array of integers, such as token ids.
     *
     * @param field the field name
     * @return the elements in order
     * @throws JsonlException if the field is absent or null, is not an array, or has an
     *     element that is not an integer in the 64-bit range (so {@code 1.0} and {@code "1"}
     *     are rejected)
     */
    public long[] longArray(String field) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            throw missing(field);
        }
        if (!node.isArray()) {
            throw error("field '" + field + "' must be an array of integers, found " + JsonlCodec.describe(node));
        }
        long[] result = new long[node.size()];
        for (int i = 0; i < result.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong()) {
                throw error("field '" + field + "' element [" + i + "] must be an integer"
                        + (element.isIntegralNumber() ? " in the 64-bit range" : "")
                        + ", found " + JsonlCodec.describe(element));
            }
            result[i] = element.longValue();
        }
        return result;
    }

    /**
     * Creates an exception located at this row, for checks made by the caller.
     *
     * @param problem what is wrong with the row, without the location
     * @return the exception, for the caller to throw or record
     */
    public JsonlException error(String problem) {
        return new JsonlException(source, lineNumber, problem);
    }

    private JsonlException missing(String field) {
        return error("field '" + field + "' is " + (value.has(field) ? "null" : "missing"));
    }
}
