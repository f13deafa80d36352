package dev.dpo4j.data.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads comma-separated values as in RFC 4180: the first record is the header naming the
 * columns; a field in double quotes may hold commas, line breaks and doubled quotes
 * ({@code ""} for {@code "}); records end in LF, CRLF or CR. Every value is a JSON string. A
 * UTF-8 byte order mark is dropped and blank lines are skipped. A record's line is the line it
 * starts on; a record with more or fewer fields than the header, a quote followed by anything but
 * a comma or line end, or a quoted field left open at the end of the file is reported with it.
 */
final class CsvRows {

    private static final int EOF = -1;

    private CsvRows() {
    }

    /**
     * Streams the rows of a CSV file.
     *
     * @param file the file
     * @return the rows; closing the stream closes the file
     */
    static Stream<DataRow> read(Path file) {
        String source = file.toString();
        Reader reader = new BufferedReader(new InputStreamReader(RowStreams.open(file), StandardCharsets.UTF_8));
        try {
            Records records = new Records(reader, source);
            List<String> header = records.next();
            Rows rows = new Rows(records, header == null ? List.of() : header, source, header == null);
            if (header != null) {
                checkHeader(header, source, records.recordLine);
            }
            return RowStreams.stream(rows, reader, source);
        } catch (RuntimeException e) {
            RowStreams.closeQuietly(reader, e);
            throw e;
        }
    }

    private static void checkHeader(List<String> header, String source, long line) {
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!seen.add(column)) {
                throw new DatasetException(source, line, "header names column \"" + column + "\" twice");
            }
        }
    }

    /** Turns records into rows keyed by the header. */
    private static final class Rows extends RowIterator {

        private final Records records;
        private final List<String> header;
        private final String source;
        private final boolean empty;

        Rows(Records records, List<String> header, String source, boolean empty) {
            super(source);
            this.records = records;
            this.header = header;
            this.source = source;
            this.empty = empty;
        }

        @Override
        DataRow read() {
            List<String> fields = empty ? null : records.next();
            if (fields == null) {
                return null;
            }
            if (fields.size() != header.size()) {
                throw new DatasetException(source, records.recordLine, "record has " + fields.size()
                        + " fields but the header has " + header.size());
            }
            ObjectNode value = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < fields.size(); i++) {
                value.put(header.get(i), fields.get(i));
            }
            return new DataRow(source, records.recordLine, value);
        }
    }

    /** Splits characters into records of fields, tracking line numbers. */
    private static final class Records {

        private final Reader in;
        private final String source;
        private long line = 1;
        private long recordLine;
        private int peeked = Integer.MIN_VALUE;
        private boolean started;

        Records(Reader in, String source) {
            this.in = in;
            this.source = source;
        }

        /** The next record's fields, or null at the end of the file. Blank lines are skipped. */
        List<String> next() {
            int c = read();
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    c = read();
                }
            }
            while (c == '\n' || c == '\r') {
                c = endLine(c);
                c = read();
            }
            if (c == EOF) {
                return null;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            while (true) {
                if (c == '"' && field.isEmpty()) {
                    c = quoted(field);
                } else {
                    while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
                        field.append((char) c);
                        c = read();
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (c == ',') {
                    c = read();
                    continue;
                }
                if (c != EOF) {
                    endLine(c);
                }
                return fields;
            }
        }

        /** Reads a quoted field after its opening quote; returns the character after the closing quote. */
        private int quoted(StringBuilder field) {
            while (true) {
                int c = read();
                if (c == EOF) {
                    throw new DatasetException(source, recordLine, "quoted field is not closed before the end of the file");
                }
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        field.append('"');
                        continue;
                    }
                    if (after != ',' && after != '\n' && after != '\r' && after != EOF) {
                        throw new DatasetException(source, line, "unexpected character '" + (char) after
                                + "' after a closing quote (a quote inside a quoted field is written \"\")");
                    }
                    return after;
                }
                if (c == '\r') {
                    int after = read();
                    field.append('\r');
                    if (after == '\n') {
                        field.append('\n');
                    } else {
                        peeked = after;
                    }
                    line++;
                    continue;
                }
                if (c == '\n') {
                    line++;
                }
                field.append((char) c);
            }
        }

        /** Consumes a line break starting with {@code c} (CR LF counts once) and counts the line. */
        private int endLine(int c) {
            if (c == '\r') {
                int after = read();
                if (after != '\n') {
                    peeked = after;
                }
            }
            line++;
            return c;
        }

        private int read() {
            if (peeked != Integer.MIN_VALUE) {
                int c = peeked;
                peeked = Integer.MIN_VALUE;
                return c;
            }
            try {
                return in.read();
            } catch (IOException e) {
                throw new DatasetException(source, line, "cannot read: " + e, e);
            }
        }
    }
}
