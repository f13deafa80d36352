package dev.dpo4j.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The Jackson configuration shared by {@link JsonlReader} and {@link JsonlWriter}, and the
 * parsing of one line into an object.
 *
 * <p>Parsing is strict where leniency would lose data silently: text after the object
 * ({@code {"a":1} {"b":2}}) and a key given twice are errors.
 */
final class JsonlCodec {

    /**
     * Shared, thread-safe once built. Characters outside the Basic Multilingual Plane (emoji)
     * are written as 4-byte UTF-8, not as the pair of escapes Jackson writes by default.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private static final int MAX_QUOTED_CHARS = 40;

    private JsonlCodec() {
    }

    /**
     * Parses one line, which must hold exactly one JSON object.
     *
     * @param bytes the buffer holding the line as UTF-8
     * @param length the number of bytes of the line in {@code bytes}
     * @param source the file name for error messages
     * @param line the 1-based line number for error messages
     * @return the object
     * @throws JsonlException if the line is not valid JSON or not an object
     */
    static ObjectNode parseObject(byte[] bytes, int length, String source, int line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes, 0, length);
        } catch (JsonProcessingException e) {
            throw new JsonlException(source, line, "malformed JSON: " + parserProblem(e), e);
        } catch (IOException e) {
            throw new JsonlException(source, line, "cannot parse: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode)) {
            throw new JsonlException(source, line, "expected a JSON object, found " + describe(node));
        }
        return (ObjectNode) node;
    }

    /**
     * Returns whether a line holds exactly one JSON object.
     *
     * @param bytes the buffer holding the line as UTF-8
     * @param length the number of bytes of the line in {@code bytes}
     * @return {@code true} if {@link #parseObject} would succeed
     */
    static boolean isObject(byte[] bytes, int length) {
        try {
            return MAPPER.readTree(bytes, 0, length) instanceof ObjectNode;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Describes a JSON value for an error message: its type, and for scalars the value.
     *
     * @param node the value, possibly {@code null} for an absent one
     * @return for example {@code array}, {@code null}, {@code number 1.5} or {@code string "abc"}
     */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray() || node.isObject()) {
            return node.isArray() ? "array" : "object";
        }
        String kind = node.isTextual() ? "string" : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : "value";
        String text = node.isTextual() ? '"' + node.textValue() + '"' : node.toString();
        if (text.length() > MAX_QUOTED_CHARS) {
            text = text.substring(0, MAX_QUOTED_CHARS) + "…";
        }
        return kind + " " + text;
    }

    private static String parserProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage().replace('\n', ' ');
        JsonLocation location = e.getLocation();
        if (location != null && location.getColumnNr() > 0) {
            message += " (column " + location.getColumnNr() + ")";
        }
        return message;
    }
}
