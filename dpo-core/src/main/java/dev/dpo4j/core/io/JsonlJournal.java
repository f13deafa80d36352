package dev.dpo4j.core.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only JSONL file that many threads write to, one flushed line per call: the journal of a
 * resumable job (synthetic data, evaluation). A line cut short by a kill is removed before appending
 * ({@link JsonlWriter#append(Path)}), and {@link #read(Path)} repairs the file the same way before
 * reading, so the two agree on what was written. Once {@link #close() closed} (at the end of a run,
 * or when the run fails) further appends throw, so nothing is recorded after a crash was detected.
 */
public final class JsonlJournal implements AutoCloseable {

    private final JsonlWriter writer;
    private boolean open = true;

    private JsonlJournal(JsonlWriter writer) {
        this.writer = writer;
    }

    /**
     * Opens a journal for appending, creating it if absent.
     *
     * @param path the file
     * @return the journal
     * @throws UncheckedIOException when it cannot be opened
     */
    public static JsonlJournal open(Path path) {
        try {
            return new JsonlJournal(JsonlWriter.append(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every complete line of a journal, after removing a last line cut short by a kill.
     *
     * @param path the file
     * @return the rows in file order; empty when the file does not exist
     * @throws UncheckedIOException when it cannot be read
     * @throws JsonlException naming the line when a complete line is not JSON
     */
    public static List<JsonlRow> read(Path path) {
        if (!Files.exists(path)) {
            return List.of();
        }
        try {
            JsonlWriter.append(path).close();
            List<JsonlRow> rows = new ArrayList<>();
            try (JsonlReader reader = JsonlReader.open(path)) {
                reader.forEach(rows::add);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends one line and flushes it.
     *
     * @param row the line
     * @throws IllegalStateException when the journal is closed
     */
    public synchronized void append(ObjectNode row) {
        if (!open) {
            throw new IllegalStateException(writer.target() + " is closed: the run has stopped");
        }
        writer.write(row);
    }

    /** Closes the file; later appends throw. */
    @Override
    public synchronized void close() {
        if (open) {
            open = false;
            writer.close();
        }
    }
}
