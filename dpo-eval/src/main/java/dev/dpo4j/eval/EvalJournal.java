package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.data.io.DatasetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An append-only JSONL journal that many threads write to, one flushed line per call (the same
 * discipline as dpo-data's synth journals). A line cut short by a kill is removed before appending
 * ({@link JsonlWriter#append(Path)}) and before reading, so it is asked again. Once
 * {@link #close() closed} (at the end of a stage, or when the run fails) appends throw, so nothing
 * is recorded after a crash was detected.
 */
final class EvalJournal implements AutoCloseable {

    private final JsonlWriter writer;
    private boolean open = true;

    private EvalJournal(JsonlWriter writer) {
        this.writer = writer;
    }

    /**
     * Opens a journal for appending, creating it and its directory if absent.
     *
     * @param path the file
     * @return the journal
     * @throws UncheckedIOException when it cannot be opened
     */
    static EvalJournal open(Path path) {
        try {
            return new EvalJournal(JsonlWriter.append(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a journal into entries by key; a later line for a key wins (a failure asked again with
     * {@code optRetryFailures}).
     *
     * @param path the file; a missing file is empty
     * @param keyField the key's field name
     * @param parse reads a value from a line
     * @param keepFailures false to leave failures out, so they are asked again
     * @param <T> the value's type
     * @return the entries in file order of their first line
     * @throws DatasetException naming file and line when a line is not a valid entry
     */
    static <T> Map<String, Journaled<T>> load(Path path, String keyField, Function<JsonNode, T> parse,
            boolean keepFailures) {
        Map<String, Journaled<T>> entries = new LinkedHashMap<>();
        if (!Files.exists(path)) {
            return entries;
        }
        try {
            JsonlWriter.append(path).close();
            try (JsonlReader reader = JsonlReader.open(path)) {
                for (JsonlRow row : reader) {
                    Journaled<T> entry;
                    try {
                        entry = Journaled.fromJson(row.value(), keyField, parse);
                    } catch (IllegalArgumentException e) {
                        throw new DatasetException(row.source(), row.lineNumber(),
                                "not a valid journal line: " + e.getMessage());
                    }
                    if (entry.ok() || keepFailures) {
                        entries.put(entry.key(), entry);
                    }
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends one line and flushes it.
     *
     * @param line the line
     * @throws IllegalStateException when the journal is closed
     */
    synchronized void append(ObjectNode line) {
        if (!open) {
            throw new IllegalStateException(writer.target() + " is closed: the run has stopped");
        }
        writer.write(line);
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
