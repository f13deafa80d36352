package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import java.util.List;

/**
 * The parts every {@link PreferenceFormat} shares: its name, description and required columns, and
 * the default detection rule (all required columns present). Subclasses add {@code adapt} and, where
 * columns alone are ambiguous, a stricter {@link #matches(DataRow)}.
 */
abstract class NamedFormat implements PreferenceFormat {

    private final String name;
    private final String description;
    private final List<String> required;

    /**
     * @param name the format's name, as {@link PreferenceFormats#byName(String)} takes it
     * @param description a one-line description for error messages
     * @param required the columns a row must have
     */
    NamedFormat(String name, String description, List<String> required) {
        this.name = name;
        this.description = description;
        this.required = List.copyOf(required);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<String> requiredColumns() {
        return required;
    }

    @Override
    public boolean matches(DataRow row) {
        return RowFields.hasAll(row, required);
    }

    @Override
    public final String toString() {
        return name;
    }
}
