package dev.dpo4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A prompt or a response in a preference row: plain text (TRL's "standard" format) or a list of
 * chat messages (TRL's "conversational" format).
 */
public sealed interface Content permits Content.Text, Content.Messages {

    /**
     * Plain text.
     *
     * @param text the text; never null
     */
    record Text(String text) implements Content {
        /** Validates that the text is not null. */
        public Text {
            Objects.requireNonNull(text, "Content.Text.text must not be null");
        }

        @Override
        public JsonNode toJson() {
            return TextNode.valueOf(text);
        }

        @Override
        public String flatText() {
            return text;
        }
    }

    /**
     * Chat messages.
     *
     * @param messages the messages in order; never null
     */
    record Messages(List<ChatMessage> messages) implements Content {
        /** Copies the list. */
        public Messages {
            messages = List.copyOf(messages);
        }

        @Override
        public JsonNode toJson() {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (ChatMessage m : messages) {
                ObjectNode o = array.addObject();
                o.put("role", m.role());
                o.put("content", m.content());
            }
            return array;
        }

        @Override
        public String flatText() {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(m.content());
            }
            return sb.toString();
        }
    }

    /**
     * Plain text content.
     *
     * @param text the text
     * @return the content
     */
    static Content text(String text) {
        return new Text(text);
    }

    /**
     * Message content.
     *
     * @param messages the messages
     * @return the content
     */
    static Content messages(List<ChatMessage> messages) {
        return new Messages(messages);
    }

    /**
     * The JSON form written to preference JSONL: a string or an array of
     * {@code {"role", "content"}} objects.
     *
     * @return the JSON value
     */
    JsonNode toJson();

    /**
     * The text alone (message contents joined by newlines), for length filters and dedup keys.
     *
     * @return the text
     */
    String flatText();

    /**
     * Whether this is a message list.
     *
     * @return true for {@link Messages}
     */
    default boolean isConversational() {
        return this instanceof Messages;
    }

    /**
     * Reads a string or a message list.
     *
     * @param node the JSON value
     * @param field the field name, for the error message
     * @return the content
     * @throws IllegalArgumentException naming the field when the value is neither a string nor an
     *     array of objects with string {@code role} and {@code content}
     */
    static Content fromJson(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        if (node.isTextual()) {
            return new Text(node.asText());
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string or a list of messages, found "
                    + RowFields.kind(node));
        }
        if (node.isEmpty()) {
            throw new IllegalArgumentException("field '" + field + "' is an empty list of messages");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String where = "field '" + field + "' message [" + i + "]";
            if (!m.isObject()) {
                throw new IllegalArgumentException(where + " must be an object with 'role' and 'content', found "
                        + RowFields.kind(m));
            }
            messages.add(new ChatMessage(messageText(where, m, "role"), messageText(where, m, "content")));
        }
        return new Messages(messages);
    }

    private static String messageText(String where, JsonNode message, String key) {
        JsonNode value = message.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + " has no '" + key + "'");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + " '" + key + "' must be a string, found " + RowFields.kind(value));
        }
        return value.textValue();
    }
}
