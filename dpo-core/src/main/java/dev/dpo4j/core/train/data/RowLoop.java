package dev.dpo4j.core.train.data;

import dev.dpo4j.core.io.JsonlException;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The read loop {@link PairReader} and {@link SftReader} share: tokenize each row, truncate it, and
 * record every row not kept (too long, or, when asked, invalid) in the {@link ReadResult}.
 */
final class RowLoop {

    private RowLoop() {
    }

    /**
     * Reads every row.
     *
     * @param reader the rows
     * @param tokenize one row to one example, throwing {@link JsonlException} for a bad row
     * @param truncate the example within the limits, or empty to drop it
     * @param promptLength the prompt length of an example, for the drop message
     * @param maxLength {@code max_length}, for the drop message
     * @param skipBadRows whether a bad row (malformed JSON included) is recorded and skipped rather than thrown
     * @param <T> the example type
     * @return the examples and the rows not kept
     * @throws JsonlException at the first bad row unless {@code skipBadRows}, and when the input cannot be read
     */
    static <T> ReadResult<T> read(JsonlReader reader, Function<JsonlRow, T> tokenize, Function<T, Optional<T>> truncate,
            ToIntFunction<T> promptLength, int maxLength, boolean skipBadRows) {
        List<T> examples = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        Iterator<JsonlRow> rows = reader.iterator();
        while (rows.hasNext()) {
            JsonlRow row;
            T example;
            try {
                row = rows.next();
                example = tokenize.apply(row);
            } catch (JsonlException e) {
                if (!skipBadRows) {
                    throw e;
                }
                bad.add(e.getMessage());
                continue;
            }
            Optional<T> cut = truncate.apply(example);
            if (cut.isPresent()) {
                examples.add(cut.get());
            } else {
                dropped.add(row.source() + ":" + row.lineNumber() + ": prompt of " + promptLength.applyAsInt(example)
                        + " tokens leaves no room for a completion within max_length " + maxLength);
            }
        }
        return new ReadResult<>(examples, dropped, bad);
    }
}
