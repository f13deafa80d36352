package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small JSON Schema checker for the subset the pipeline's schemas use (type object / array /
 * string, properties, required, additionalProperties, items, minItems, maxItems, enum), written
 * for the tests so that the fakes' answers are checked against the schema actually sent, and the
 * schemas against OpenAI's strict-mode rules.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    /** The ways {@code value} breaks {@code schema}; empty when it conforms. */
    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    /**
     * The ways {@code schema} breaks OpenAI's strict structured-output rules: every object lists
     * all its properties as required and sets additionalProperties false; every array has items.
     */
    static List<String> strictProblems(JsonNode schema) {
        List<String> problems = new ArrayList<>();
        strict(schema, "$", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        String type = schema.path("type").asText();
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    errors.add(path + " is not an object");
                    return;
                }
                for (JsonNode req : schema.path("required")) {
                    if (!value.has(req.asText())) {
                        errors.add(path + " lacks " + req.asText());
                    }
                }
                JsonNode props = schema.path("properties");
                value.fieldNames().forEachRemaining(name -> {
                    if (props.has(name)) {
                        check(props.get(name), value.get(name), path + "." + name, errors);
                    } else if (schema.path("additionalProperties").isBoolean()
                            && !schema.get("additionalProperties").asBoolean()) {
                        errors.add(path + " has extra property " + name);
                    }
                });
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + " is not an array");
                    return;
                }
                if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                    errors.add(path + " has fewer than minItems");
                }
                if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                    errors.add(path + " has more than maxItems");
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(path + " is not a string");
                }
            }
            default -> errors.add(path + ": unsupported schema type '" + type + "'");
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.get("enum")) {
                found |= allowed.equals(value);
            }
            if (!found) {
                errors.add(path + " = " + value + " is not in the enum");
            }
        }
    }

    private static void strict(JsonNode schema, String path, List<String> problems) {
        String type = schema.path("type").asText();
        if (type.equals("object")) {
            if (!schema.path("additionalProperties").isBoolean() || schema.get("additionalProperties").asBoolean()) {
                problems.add(path + ": additionalProperties must be false");
            }
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            Set<String> props = new HashSet<>();
            schema.path("properties").fieldNames().forEachRemaining(props::add);
            if (!required.equals(props) || props.isEmpty()) {
                problems.add(path + ": required " + required + " must list every property " + props);
            }
            schema.path("properties").fields().forEachRemaining(e -> strict(e.getValue(), path + "." + e.getKey(),
                    problems));
        } else if (type.equals("array")) {
            if (!schema.has("items")) {
                problems.add(path + ": array without items");
            } else {
                strict(schema.get("items"), path + "[]", problems);
            }
        } else if (!type.equals("string") && !type.equals("integer") && !type.equals("number")
                && !type.equals("boolean")) {
            problems.add(path + ": unknown type '" + type + "'");
        }
    }
}
