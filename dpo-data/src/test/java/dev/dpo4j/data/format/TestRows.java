package dev.dpo4j.data.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.io.DataRow;
import java.util.List;

/** Builds {@link DataRow}s from JSON text written in the tests. */
public final class TestRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestRows() {
    }

    /**
     * A row parsed from JSON, with single quotes standing for double quotes to keep tests readable.
     *
     * @param source the file name
     * @param line the line
     * @param json the object, e.g. {@code {'prompt': 'Hi'}}
     * @return the row
     */
    public static DataRow row(String source, long line, String json) {
        try {
            return new DataRow(source, line, (ObjectNode) JSON.readTree(json.replace('\'', '"')));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }

    /**
     * Message content.
     *
     * @param roleContent role, content, role, content, …
     * @return the content
     */
    public static Content messages(String... roleContent) {
        List<ChatMessage> list = new java.util.ArrayList<>();
        for (int i = 0; i < roleContent.length; i += 2) {
            list.add(new ChatMessage(roleContent[i], roleContent[i + 1]));
        }
        return Content.messages(list);
    }
}
