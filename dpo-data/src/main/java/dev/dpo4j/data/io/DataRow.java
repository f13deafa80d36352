package dev.dpo4j.data.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One row of a dataset, whatever file format it came from, with where it came from so every
 * error can name the file and line.
 *
 * @param source the file name or Hub dataset reference the row was read from
 * @param line the 1-based line where the row starts (JSONL, JSON arrays, CSV), or the 1-based row
 *     number (Parquet)
 * @param value the row's columns as a JSON object (Parquet lists and structs become arrays and
 *     objects)
 */
public record DataRow(String source, long line, ObjectNode value) {

    /** Validates that no field is null and the line is positive. */
    public DataRow {
        Objects.requireNonNull(source, "DataRow.source must not be null");
        Objects.requireNonNull(value, "DataRow.value must not be null");
        if (line < 1) {
            throw new IllegalArgumentException("DataRow.line must be >= 1, got " + line);
        }
    }

    /**
     * Where the row is, for messages.
     *
     * @return {@code source:line}
     */
    public String location() {
        return source + ":" + line;
    }

    /**
     * The value of a column, or null when the row has no such column or it is JSON null.
     *
     * @param column the column name
     * @return the value or null
     */
    public JsonNode get(String column) {
        JsonNode node = value.get(column);
        return node == null || node.isNull() ? null : node;
    }

    /**
     * An exception naming this row's file and line.
     *
     * @param problem what is wrong with the row
     * @return the exception, to throw
     */
    public DatasetException error(String problem) {
        return new DatasetException(source, line, problem);
    }
}
