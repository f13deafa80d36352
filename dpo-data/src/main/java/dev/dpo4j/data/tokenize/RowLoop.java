package dev.dpo4j.data.tokenize;

import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The read loop {@link PairReader} and {@link SftReader} share: tokenize each row, truncate it, and
 * record every row not kept (too long, or, when asked, invalid) in the {@link ReadResult}.
 */
final class RowLoop {

    private RowLoop() {
    }

    /**
     * Reads every row of a dataset.
     *
     * @param dataset the rows
     * @param tokenize one row to one example, throwing {@link DatasetException} for a bad row
     * @param truncate the example within the limits, or empty to drop it
     * @param promptLength the prompt length of an example, for the drop message
     * @param maxLength {@code max_length}, for the drop message
     * @param skipBadRows whether a bad row (malformed JSON included) is recorded and skipped rather than thrown
     * @param <T> the example type
     * @return the examples and the rows not kept
     * @throws DatasetException at the first bad row unless {@code skipBadRows}, when the input cannot be read,
     *     and when a reader cannot go past a bad row
     */
    static <T> ReadResult<T> read(Dataset dataset, Function<DataRow, T> tokenize, Function<T, Optional<T>> truncate,
            ToIntFunction<T> promptLength, int maxLength, boolean skipBadRows) {
        List<T> examples = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        try (Stream<DataRow> stream = dataset.stream()) {
            Iterator<DataRow> rows = stream.iterator();
            String lastReadFailure = null;
            while (true) {
                DataRow row;
                T example;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    row = rows.next();
                    lastReadFailure = null;
                    example = tokenize.apply(row);
                } catch (DatasetException e) {
                    // A reader that cannot go past a bad row fails twice at the same place: stop there.
                    String where = e.source() + ":" + e.line();
                    if (!skipBadRows || e.line() <= 0 || where.equals(lastReadFailure)) {
                        throw e;
                    }
                    lastReadFailure = where;
                    bad.add(e.getMessage());
                    continue;
                }
                Optional<T> cut = truncate.apply(example);
                if (cut.isPresent()) {
                    examples.add(cut.get());
                } else {
                    dropped.add(row.location() + ": prompt of " + promptLength.applyAsInt(example)
                            + " tokens leaves no room for a completion within max_length " + maxLength);
                }
            }
        }
        return new ReadResult<>(examples, dropped, bad);
    }
}
