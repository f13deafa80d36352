package dev.dpo4j.examples.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

/**
 * Makes a random instance of a JSON Schema, as a structured-output server must: objects with
 * every property (required or not), arrays between {@code minItems} and {@code maxItems}, strings
 * from {@code enum}/{@code const} or a short sentence, integers and numbers within
 * {@code minimum}/{@code maximum}, booleans. Local {@code $ref}s ({@code #/$defs/…},
 * {@code #/definitions/…}) are followed. Patterns and formats are not supported; a schema using them
 * is answered with a plain string.
 */
public final class SchemaInstances {

    private static final String[] WORDS = {"the", "report", "says", "council", "river", "market", "police",
        "year", "team", "new", "plan", "city", "after", "officials", "said", "students", "court", "game"};

    private final JsonNode root;
    private final Random random;

    private SchemaInstances(JsonNode root, Random random) {
        this.root = root;
        this.random = random;
    }

    /**
     * A random instance of the schema.
     *
     * @param schema the JSON Schema
     * @param random the source of randomness (seed it for reproducible answers)
     * @return the instance
     */
    public static JsonNode instance(JsonNode schema, Random random) {
        return new SchemaInstances(schema, random).make(schema, 0);
    }

    private JsonNode make(JsonNode schema, int depth) {
        if (depth > 16) {
            throw new IllegalArgumentException("schema nests deeper than 16 levels");
        }
        if (schema.has("$ref")) {
            return make(resolve(schema.get("$ref").asText()), depth + 1);
        }
        if (schema.has("const")) {
            return schema.get("const").deepCopy();
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return values.get(random.nextInt(values.size())).deepCopy();
        }
        if (schema.has("anyOf")) {
            JsonNode options = schema.get("anyOf");
            return make(options.get(random.nextInt(options.size())), depth + 1);
        }
        String type = typeOf(schema);
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (type) {
            case "object": {
                ObjectNode o = f.objectNode();
                JsonNode props = schema.path("properties");
                for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    o.set(e.getKey(), make(e.getValue(), depth + 1));
                }
                return o;
            }
            case "array": {
                int min = schema.path("minItems").asInt(1);
                int max = schema.path("maxItems").asInt(Math.max(min, 3));
                int n = min + random.nextInt(max - min + 1);
                ArrayNode a = f.arrayNode();
                JsonNode items = schema.path("items");
                for (int i = 0; i < n; i++) {
                    a.add(make(items, depth + 1));
                }
                return a;
            }
            case "integer": {
                long lo = schema.path("minimum").asLong(0);
                long hi = schema.path("maximum").asLong(lo + 10);
                return f.numberNode(lo + (long) (random.nextDouble() * (hi - lo + 1)));
            }
            case "number": {
                double lo = schema.path("minimum").asDouble(0);
                double hi = schema.path("maximum").asDouble(lo + 1);
                return f.numberNode(lo + random.nextDouble() * (hi - lo));
            }
            case "boolean":
                return f.booleanNode(random.nextBoolean());
            case "null":
                return f.nullNode();
            default:
                return f.textNode(sentence());
        }
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        return type.asText();
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local $ref values are supported, got " + ref);
        }
        JsonNode node = root;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part.replace("~1", "/").replace("~0", "~"));
        }
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("$ref " + ref + " points nowhere");
        }
        return node;
    }

    private String sentence() {
        int n = 4 + random.nextInt(6);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return Character.toUpperCase(sb.charAt(0)) + sb.substring(1) + "?";
    }
}
