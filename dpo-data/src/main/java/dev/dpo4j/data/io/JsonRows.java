package dev.dpo4j.data.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads {@code .json} files with Jackson's streaming parser, one row object at a time, so a large
 * array never sits in memory whole. Three layouts are accepted:
 *
 * <ul>
 *   <li>a top-level array of objects, {@code [{...}, {...}]}, the usual one;
 *   <li>JSON Lines misnamed {@code .json}: several top-level objects one after another;
 *   <li>one top-level object holding exactly one array of objects, such as
 *       {@code {"version": "1.0", "data": [{...}, ...]}}: the array's objects are the rows.
 * </ul>
 *
 * <p>The last two both start with an object, so such a file is first skimmed (values skipped,
 * nothing kept) to tell them apart; a single object that holds no array of objects, or more than
 * one, is read as a one-row dataset. Each row's line is the line where its object starts.
 */
final class JsonRows {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRows() {
    }

    /**
     * Streams the rows of a JSON file.
     *
     * @param file the file
     * @return the rows; closing the stream closes the file
     */
    static Stream<DataRow> read(Path file) {
        String source = file.toString();
        JsonParser parser = open(file);
        try {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.START_ARRAY) {
                return RowStreams.stream(new Rows(parser, source, first != null), parser, source);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new DatasetException(source, parser.currentTokenLocation().getLineNr(),
                        "expected a JSON array of objects or a JSON object, got " + first);
            }
            parser.close();
            String wrapperField = wrapperField(file);
            parser = open(file);
            if (wrapperField == null) {
                return RowStreams.stream(new Rows(parser, source, false), parser, source);
            }
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME && !parser.currentName().equals(wrapperField)) {
                parser.nextToken();
                parser.skipChildren();
            }
            parser.nextToken();
            return RowStreams.stream(new Rows(parser, source, true), parser, source);
        } catch (IOException e) {
            RowStreams.closeQuietly(parser, e);
            throw error(source, e);
        } catch (RuntimeException e) {
            RowStreams.closeQuietly(parser, e);
            throw e;
        }
    }

    private static JsonParser open(Path file) {
        try {
            return MAPPER.getFactory().createParser(RowStreams.open(file));
        } catch (IOException e) {
            throw new DatasetException(file.toString(), "cannot open: " + e, e);
        }
    }

    /**
     * Skims a file that starts with an object: returns the name of its one array-of-objects field
     * when the file is a single wrapper object, or null when it is to be read as top-level rows.
     */
    private static String wrapperField(Path file) throws IOException {
        String source = file.toString();
        try (JsonParser parser = open(file)) {
            parser.nextToken();
            List<String> arraysOfObjects = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_ARRAY) {
                    JsonToken firstElement = parser.nextToken();
                    if (firstElement == JsonToken.START_OBJECT) {
                        arraysOfObjects.add(field);
                    }
                    if (firstElement != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                        skipToArrayEnd(parser);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            boolean moreRoots = parser.nextToken() != null;
            return !moreRoots && arraysOfObjects.size() == 1 ? arraysOfObjects.get(0) : null;
        } catch (JsonProcessingException e) {
            throw error(source, e);
        }
    }

    private static void skipToArrayEnd(JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
        }
    }

    private static DatasetException error(String source, IOException e) {
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            return new DatasetException(source, Math.max(1, json.getLocation().getLineNr()),
                    "invalid JSON: " + json.getOriginalMessage(), e);
        }
        return new DatasetException(source, "cannot read: " + e, e);
    }

    /** The objects of an array (after its START_ARRAY) or a sequence of top-level objects. */
    private static final class Rows extends RowIterator {

        private final JsonParser parser;
        private final String source;
        private final boolean inArray;
        private long element;

        Rows(JsonParser parser, String source, boolean inArray) {
            super(source);
            this.parser = parser;
            this.source = source;
            this.inArray = inArray;
        }

        @Override
        DataRow read() {
            try {
                JsonToken token = parser.nextToken();
                if (token == null || (inArray && token == JsonToken.END_ARRAY)) {
                    return null;
                }
                element++;
                long line = Math.max(1, parser.currentTokenLocation().getLineNr());
                if (token != JsonToken.START_OBJECT) {
                    throw new DatasetException(source, line, (inArray ? "array element " + element : "top-level value "
                            + element) + " is " + describe(token) + ", expected an object");
                }
                JsonNode node = MAPPER.readTree(parser);
                return new DataRow(source, line, (ObjectNode) node);
            } catch (IOException e) {
                throw error(source, e);
            }
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> String.valueOf(token);
            };
        }
    }
}
