package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Field accessors for journal lines that fail with a message naming the field. */
final class SynthJson {

    private SynthJson() {
    }

    /** A required string field. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    /** An optional string field, or null. */
    static String optText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A required integer field. */
    static int integer(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer");
        }
        return value.asInt();
    }

    /** A required array of strings. */
    static List<String> texts(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array of strings");
        }
        List<String> list = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("field '" + field + "' must be an array of strings");
            }
            list.add(item.asText());
        }
        return list;
    }
}
