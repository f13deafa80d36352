package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.List;

/**
 * One layout of preference data, and how to turn its rows into {@link PreferenceExample}s.
 *
 * <p>Implementations are stateless and thread-safe. {@link #matches(DataRow)} looks only at which
 * columns a row has (and, where two layouts share column names, at their JSON types), so it is
 * cheap enough to run on a dataset's first row for auto-detection; {@link #adapt(DataRow)} does
 * the full validation.
 */
public interface PreferenceFormat {

    /**
     * The name used by {@link PreferenceFormats#byName(String)} and in messages, such as
     * {@code "trl"} or {@code "hh-rlhf"}.
     *
     * @return the name
     */
    String name();

    /**
     * A one-line description of the layout, for error messages and {@code --help}.
     *
     * @return the description
     */
    String description();

    /**
     * The columns a row of this layout always has.
     *
     * @return the column names, in the order the layout's documentation lists them
     */
    List<String> requiredColumns();

    /**
     * Whether a row looks like this layout (its columns, and column types where they tell two
     * layouts apart). A matching row may still be malformed.
     *
     * @param row the row
     * @return true when this layout can be tried on the row
     */
    boolean matches(DataRow row);

    /**
     * Converts a row. Columns the layout does not consume are kept in the example's metadata
     * (a {@code metadata} object column is merged into it); the example's origin is the row's
     * {@code file:line}.
     *
     * @param row the row
     * @return the example
     * @throws DatasetException naming the row's file, line and the offending field when the row
     *     is malformed
     */
    PreferenceExample adapt(DataRow row);
}
