package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The known {@link PreferenceFormat}s: lookup by name and auto-detection from a row.
 *
 * <p>Detection tries the formats from the most specific to the most general, so a layout whose
 * columns are a superset of another's wins: argilla (ratings) and UltraFeedback binarized (scores)
 * before TRL, since all three have {@code prompt}/{@code chosen}/{@code rejected}; hh-rlhf
 * (string transcripts with {@code "\n\nAssistant:"}, no prompt) and llmforge (message lists, no
 * prompt) before TRL's implicit-prompt form.
 */
public final class PreferenceFormats {

    private static final List<PreferenceFormat> ALL = List.of(new ArgillaFormat(), new UltraFeedbackFormat(),
            new StackExchangePairedFormat(), new HhRlhfFormat(), new LlmforgeFormat(), new TrlFormat());

    private PreferenceFormats() {
    }

    /**
     * Every known format, in detection order.
     *
     * @return the formats
     */
    public static List<PreferenceFormat> all() {
        return ALL;
    }

    /**
     * The names {@link #byName(String)} accepts.
     *
     * @return the names, in detection order
     */
    public static List<String> names() {
        return ALL.stream().map(PreferenceFormat::name).toList();
    }

    /**
     * A format by name, ignoring case; {@code "ultrafeedback_binarized"}-style underscores are read
     * as dashes.
     *
     * @param name one of {@link #names()}
     * @return the format
     * @throws IllegalArgumentException listing the known names when the name is unknown
     */
    public static PreferenceFormat byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (PreferenceFormat format : ALL) {
            if (format.name().equals(key)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown preference format '" + name + "'; known formats: "
                + String.join(", ", names()));
    }

    /**
     * The most specific format that matches a row (usually a dataset's first row).
     *
     * @param row the row
     * @return the format
     * @throws DatasetException naming the row's file and line, the columns it has, and every known
     *     format with the columns it needs, when none matches
     */
    public static PreferenceFormat detect(DataRow row) {
        for (PreferenceFormat format : ALL) {
            if (format.matches(row)) {
                return format;
            }
        }
        List<String> columns = RowFields.columns(row);
        String known = ALL.stream()
                .map(f -> "  " + f.name() + ": needs " + f.requiredColumns() + " (" + f.description() + ")")
                .collect(Collectors.joining("\n"));
        String hint = columns.contains("messages") && !columns.contains("chosen")
                ? "\nA 'messages' column alone is llmforge's SFT format and holds no preference pair;"
                        + " preference rows need 'chosen' and 'rejected'."
                : "";
        throw row.error("no known preference format matches this row; columns found: " + columns
                + ". Known formats:\n" + known + hint
                + "\nChoose one explicitly with PreferenceFormats.byName(name) or map the columns first.");
    }
}
