package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads required fields of the report's JSON with messages naming the record and the field
 * ({@code "pairwise_result.wins: expected an integer, got \"x\""}).
 */
final class JsonFields {

    private final JsonNode node;
    private final String record;

    private JsonFields(JsonNode node, String record) {
        this.node = node;
        this.record = record;
    }

    /** Wraps a node that must be a JSON object. */
    static JsonFields of(JsonNode node, String record) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(record + ": expected a JSON object, got " + node);
        }
        return new JsonFields(node, record);
    }

    JsonNode required(String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException(record + "." + field + " is missing");
        }
        return value;
    }

    String text(String field) {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw fail(field, "a string", value);
        }
        return value.textValue();
    }

    int integer(String field) {
        JsonNode value = required(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw fail(field, "an integer", value);
        }
        return value.intValue();
    }

    /** A number; {@code null} reads as {@code NaN}. */
    double number(String field) {
        JsonNode value = required(field);
        if (value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw fail(field, "a number or null", value);
        }
        return value.doubleValue();
    }

    Estimate estimate(String field) {
        try {
            return Estimate.fromJson(required(field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(record + "." + field + ": " + e.getMessage(), e);
        }
    }

    /** An object converted by {@code reader}, or null when the field is absent or null. */
    <T> T optional(String field, Function<JsonNode, T> reader) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : reader.apply(value);
    }

    <T> List<T> list(String field, Function<JsonNode, T> reader) {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw fail(field, "an array", value);
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            try {
                out.add(reader.apply(value.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(record + "." + field + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Writes a double, {@code NaN} and infinities as {@code null}. */
    static void putNumber(ObjectNode target, String field, double x) {
        if (Double.isFinite(x)) {
            target.put(field, x);
        } else {
            target.putNull(field);
        }
    }

    private IllegalArgumentException fail(String field, String expected, JsonNode got) {
        return new IllegalArgumentException(record + "." + field + ": expected " + expected + ", got " + got);
    }
}
