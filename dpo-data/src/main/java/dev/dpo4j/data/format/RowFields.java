package dev.dpo4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed access to a row's columns, with errors that name the row's file, line and field. */
final class RowFields {

    /** The column whose object value is merged into an example's metadata. */
    static final String METADATA = "metadata";

    private RowFields() {
    }

    /**
     * A column holding a string or a list of {@code {"role", "content"}} messages.
     *
     * @param row the row
     * @param field the column
     * @return the content
     * @throws DatasetException when the column is missing, null or of another shape
     */
    static Content content(DataRow row, String field) {
        JsonNode node = present(row, field);
        try {
            return Content.fromJson(node, field);
        } catch (IllegalArgumentException e) {
            throw row.error(e.getMessage());
        }
    }

    /**
     * A column holding a list of messages.
     *
     * @param row the row
     * @param field the column
     * @param layout the layout's name, for the message
     * @return the messages
     * @throws DatasetException when the column is missing, null, a string or not a message list
     */
    static List<ChatMessage> messages(DataRow row, String field, String layout) {
        Content content = content(row, field);
        if (content instanceof Content.Messages messages) {
            return messages.messages();
        }
        throw row.error("field '" + field + "' must be a list of {\"role\", \"content\"} messages in the " + layout
                + " format, found a string");
    }

    /**
     * A column holding a string.
     *
     * @param row the row
     * @param field the column
     * @return the text
     * @throws DatasetException when the column is missing, null or not a string
     */
    static String text(DataRow row, String field) {
        JsonNode node = present(row, field);
        if (!node.isTextual()) {
            throw row.error("field '" + field + "' must be a string, found " + kind(node));
        }
        return node.asText();
    }

    /**
     * The row's metadata: the fields of a {@code metadata} object column, then every other column
     * not consumed by the adapter (a column wins over a same-named key inside {@code metadata}). A
     * {@code metadata} column that is not an object is kept as the key {@code metadata}.
     *
     * @param row the row
     * @param consumed the columns the adapter turned into prompt, chosen or rejected
     * @return a new object, possibly empty
     */
    static ObjectNode metadata(DataRow row, Set<String> consumed) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode nested = row.value().get(METADATA);
        boolean merged = nested != null && nested.isObject() && !consumed.contains(METADATA);
        if (merged) {
            out.setAll((ObjectNode) nested.deepCopy());
        }
        Iterator<Map.Entry<String, JsonNode>> fields = row.value().fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (consumed.contains(name) || (merged && METADATA.equals(name))) {
                continue;
            }
            out.set(name, field.getValue().deepCopy());
        }
        return out;
    }

    /**
     * The row's column names in order.
     *
     * @param row the row
     * @return the names
     */
    static List<String> columns(DataRow row) {
        List<String> names = new ArrayList<>(row.value().size());
        row.value().fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Whether the row has all the columns (null values count as present).
     *
     * @param row the row
     * @param columns the names
     * @return true when every column is there
     */
    static boolean hasAll(DataRow row, List<String> columns) {
        for (String column : columns) {
            if (!row.value().has(column)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A JSON type in words, for messages.
     *
     * @param node the value
     * @return e.g. {@code "a string"}, {@code "an array"}
     */
    static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode present(DataRow row, String field) {
        JsonNode node = row.value().get(field);
        if (node == null) {
            throw row.error("field '" + field + "' is missing (columns: " + columns(row) + ")");
        }
        if (node.isNull()) {
            throw row.error("field '" + field + "' is null");
        }
        return node;
    }
}
