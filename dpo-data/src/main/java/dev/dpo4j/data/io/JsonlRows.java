package dev.dpo4j.data.io;

import dev.dpo4j.core.io.JsonlException;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Reads JSON Lines ({@code .jsonl}, {@code .ndjson}, optionally gzipped) through dpo-core's
 * {@link JsonlReader}: one object per line, blank lines skipped but counted, a bad line reported
 * as a {@link DatasetException} naming the file and line.
 */
final class JsonlRows {

    private JsonlRows() {
    }

    /**
     * Streams the rows of a JSON Lines file.
     *
     * @param file the file
     * @return the rows; closing the stream closes the file
     */
    static Stream<DataRow> read(Path file) {
        String source = file.toString();
        JsonlReader reader = JsonlReader.of(RowStreams.open(file), source);
        Iterator<JsonlRow> rows = reader.iterator();
        Iterator<DataRow> converted = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return rows.hasNext();
                } catch (JsonlException e) {
                    throw translate(e);
                }
            }

            @Override
            public DataRow next() {
                try {
                    JsonlRow row = rows.next();
                    return new DataRow(source, row.lineNumber(), row.value());
                } catch (JsonlException e) {
                    throw translate(e);
                }
            }
        };
        return RowStreams.stream(converted, reader, source);
    }

    private static DatasetException translate(JsonlException e) {
        return new DatasetException(e.source(), e.line(), e.problem(), e);
    }
}
