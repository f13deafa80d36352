package dev.dpo4j.data.tokenize;

import java.util.List;
import java.util.Objects;

/**
 * What a reader of tokenized training data returns: the examples kept, and a line for every row that
 * was not, so that no row is dropped silently.
 *
 * @param examples the tokenized, truncated examples in file order (unmodifiable)
 * @param droppedRows one message per valid row dropped because its prompt left no room for a
 *     completion within {@code max_length}, {@code "file:line: why"} (unmodifiable)
 * @param badRows one message per invalid row that was skipped, {@code "file:line: field 'x' problem"};
 *     empty unless the reader was told to skip bad rows instead of failing (unmodifiable)
 * @param <T> {@link dev.dpo4j.core.train.PreferencePair} or {@link dev.dpo4j.core.train.SftExample}
 */
public record ReadResult<T>(List<T> examples, List<String> droppedRows, List<String> badRows) {

    /** Copies the lists into unmodifiable ones. */
    public ReadResult {
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
        droppedRows = List.copyOf(Objects.requireNonNull(droppedRows, "droppedRows"));
        badRows = List.copyOf(Objects.requireNonNull(badRows, "badRows"));
    }

    /**
     * The number of rows dropped because the prompt left no room for a completion.
     *
     * @return {@code droppedRows().size()}
     */
    public int dropped() {
        return droppedRows.size();
    }

    /**
     * The number of invalid rows skipped.
     *
     * @return {@code badRows().size()}
     */
    public int bad() {
        return badRows.size();
    }

    /**
     * The number of rows read: kept, dropped and bad.
     *
     * @return {@code examples().size() + dropped() + bad()}
     */
    public int rowsRead() {
        return examples.size() + droppedRows.size() + badRows.size();
    }
}
