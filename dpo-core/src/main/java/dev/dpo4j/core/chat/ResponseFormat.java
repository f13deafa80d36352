package dev.dpo4j.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The OpenAI structured-output request field
 * {@code response_format: {type: "json_schema", json_schema: {name, schema, strict}}}.
 *
 * @param name the schema name ({@code [a-zA-Z0-9_-]}, at most 64 characters, as OpenAI requires)
 * @param schema the JSON Schema the answer must follow
 * @param strict whether the server should enforce the schema exactly ({@code strict: true})
 */
public record ResponseFormat(String name, JsonNode schema, boolean strict) {

    /** Validates the name and that the schema is a JSON object. */
    public ResponseFormat {
        Objects.requireNonNull(name, "ResponseFormat.name must not be null");
        Objects.requireNonNull(schema, "ResponseFormat.schema must not be null");
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException(
                    "ResponseFormat.name must match [a-zA-Z0-9_-]{1,64}, got '" + name + "'");
        }
        if (!schema.isObject()) {
            throw new IllegalArgumentException("ResponseFormat.schema must be a JSON object");
        }
    }

    /**
     * A strict JSON-schema format.
     *
     * @param name the schema name
     * @param schema the JSON Schema
     * @return the format
     */
    public static ResponseFormat jsonSchema(String name, JsonNode schema) {
        return new ResponseFormat(name, schema, true);
    }
}
