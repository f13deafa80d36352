package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One change a workflow's command line makes to its YAML before it is checked: a run key or option
 * ({@code section == null}), a key of a section, or (with {@code key == null}) a section added empty when
 * the YAML lacks it.
 *
 * @param origin the command-line text it came from, for messages (e.g. {@code --limit 3})
 * @param section the section, or null for a top-level key
 * @param key the key, or null to only make sure the section exists
 * @param value the new value (null only when {@code key} is null)
 * @param onlyIfPresent apply only when the YAML has the section (e.g. {@code --max-steps} on every
 *     training section there is, without adding one)
 */
public record ConfigOverride(String origin, String section, String key, JsonNode value, boolean onlyIfPresent) {

    /**
     * Checks that there is something to change.
     *
     * @throws IllegalArgumentException when neither a section nor a key is given, or a key has no value
     */
    public ConfigOverride {
        Objects.requireNonNull(origin, "origin");
        if (section == null && key == null) {
            throw new IllegalArgumentException(origin + ": names neither a section nor a key");
        }
        if (key != null && value == null) {
            throw new IllegalArgumentException(origin + ": no value for " + key);
        }
    }

    /**
     * A top-level key.
     *
     * @param origin the command-line text
     * @param key the run key or workflow option
     * @param value the value
     * @return the override
     */
    public static ConfigOverride top(String origin, String key, JsonNode value) {
        return new ConfigOverride(origin, null, key, value, false);
    }

    /**
     * A key of a section (the section is added when missing).
     *
     * @param origin the command-line text
     * @param section the section
     * @param key the key
     * @param value the value
     * @return the override
     */
    public static ConfigOverride inSection(String origin, String section, String key, JsonNode value) {
        return new ConfigOverride(origin, section, key, value, false);
    }

    /** @return {@code section.key}, {@code key} or {@code section} */
    public String path() {
        return section == null ? key : key == null ? section : section + "." + key;
    }
}
