package dev.dpo4j.core.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed access to the fields of TRL-format rows (token ids, text, message lists), failing with a
 * {@link dev.dpo4j.core.io.JsonlException} that names the file, line and field.
 */
final class RowFields {

    private RowFields() {
    }

    /**
     * Returns whether a row has any of the fields, with a non-null value.
     *
     * @param row the row
     * @param fields field names
     * @return {@code true} if one of them is present
     */
    static boolean hasAny(JsonlRow row, String... fields) {
        for (String field : fields) {
            if (row.has(field)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether a field holds a list (of chat messages) rather than text.
     *
     * @param row the row
     * @param field the field name
     * @return {@code true} for a JSON array
     */
    static boolean isList(JsonlRow row, String field) {
        return row.value().path(field).isArray();
    }

    /**
     * Reads non-empty token ids, each in {@code [0, vocabSize)} when the vocabulary size is known.
     *
     * @param row the row
     * @param field the field name, such as {@code chosen_ids}
     * @param vocabSize the vocabulary size, or 0 when unknown
     * @return the ids
     */
    static long[] ids(JsonlRow row, String field, int vocabSize) {
        long[] ids = row.longArray(field);
        if (ids.length == 0) {
            throw row.error("field '" + field + "' is empty; it needs at least one token id");
        }
        checkVocab(row, field, ids, vocabSize, "");
        return ids;
    }

    /**
     * Checks that every id is in {@code [0, vocabSize)}.
     *
     * @param row the row, for the error location
     * @param field the field the ids came from
     * @param ids the ids
     * @param vocabSize the vocabulary size, or 0 to skip the check
     * @param origin words saying where the ids came from, appended to the message (may be empty)
     */
    static void checkVocab(JsonlRow row, String field, long[] ids, int vocabSize, String origin) {
        if (vocabSize <= 0) {
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw row.error("field '" + field + "' token [" + i + "] = " + ids[i]
                        + " is outside the vocabulary [0, " + vocabSize + ")" + origin);
            }
        }
    }

    /**
     * Reads a text field that must be present and non-blank.
     *
     * @param row the row
     * @param field the field name
     * @return the text
     */
    static String nonBlankText(JsonlRow row, String field) {
        String text = row.requireText(field);
        if (text.isBlank()) {
            throw row.error("field '" + field + "' is empty");
        }
        return text;
    }

    /**
     * Reads a non-empty list of chat messages: objects with string {@code role} and {@code content}
     * (other keys are ignored).
     *
     * @param row the row
     * @param field the field name
     * @return the messages
     */
    static List<ChatMessage> messages(JsonlRow row, String field) {
        JsonNode node = row.value().get(field);
        if (node == null || node.isNull()) {
            throw row.error("field '" + field + "' is " + (node == null ? "missing" : "null"));
        }
        if (!node.isArray()) {
            throw row.error("field '" + field + "' must be a list of messages like the row's other fields, found "
                    + kind(node));
        }
        if (node.isEmpty()) {
            throw row.error("field '" + field + "' is an empty list of messages");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode message = node.get(i);
            String where = "field '" + field + "' message [" + i + "]";
            if (!message.isObject()) {
                throw row.error(where + " must be an object with 'role' and 'content', found " + kind(message));
            }
            messages.add(new ChatMessage(messageText(row, where, message, "role"),
                    messageText(row, where, message, "content")));
        }
        return messages;
    }

    private static String messageText(JsonlRow row, String where, JsonNode message, String key) {
        JsonNode value = message.get(key);
        if (value == null || value.isNull()) {
            throw row.error(where + " has no '" + key + "'");
        }
        if (!value.isTextual()) {
            throw row.error(where + " '" + key + "' must be a string, found " + kind(value));
        }
        return value.textValue();
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
    }
}
