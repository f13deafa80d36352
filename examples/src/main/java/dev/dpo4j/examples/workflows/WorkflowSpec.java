package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one workflow's YAML may hold besides the run keys: its stage sections, each named after the
 * {@code dpo4j} command whose keys it holds ({@code data} → {@code data synth} or {@code data prepare},
 * {@code sft}/{@code train} → {@code train}, {@code merge} → {@code merge}, {@code evaluate} →
 * {@code evaluate}), which of them are required, the workflow's own top-level options (e.g.
 * {@code iterations}) with their defaults, and command-line switches that add an optional section (e.g.
 * {@code --merge-adapters} adds {@code merge}).
 */
public final class WorkflowSpec {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /**
     * One stage section.
     *
     * @param name the section's key in the YAML
     * @param required whether the workflow needs it
     * @param command the {@code dpo4j} command words whose keys the section holds, e.g. {@code [data, synth]}
     */
    public record Section(String name, boolean required, List<String> command) {
        /** Copies the command. */
        public Section {
            command = List.copyOf(command);
        }
    }

    private final String name;
    private final Map<String, Section> sections;
    private final Map<String, JsonNode> options;
    private final Map<String, String> switches;

    private WorkflowSpec(Builder b) {
        this.name = b.name;
        this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(b.sections));
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
        this.switches = Collections.unmodifiableMap(new LinkedHashMap<>(b.switches));
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the workflow's name, e.g. {@code summarization-dpo} */
    public String name() {
        return name;
    }

    /** @return the sections in stage order */
    public List<Section> sections() {
        return List.copyOf(sections.values());
    }

    /**
     * A section by name.
     *
     * @param sectionName the YAML key
     * @return the section, or empty when the workflow has none of that name
     */
    public Optional<Section> section(String sectionName) {
        return Optional.ofNullable(sections.get(sectionName));
    }

    /** @return the workflow's own top-level keys and their defaults */
    public Map<String, JsonNode> options() {
        return options;
    }

    /** @return command-line switches (e.g. {@code --merge-adapters}) and the section each one adds */
    public Map<String, String> switches() {
        return switches;
    }

    /** Builds a {@link WorkflowSpec}: {@code setName} is required, at least one section must be added. */
    public static final class Builder {
        private String name;
        private final Map<String, Section> sections = new LinkedHashMap<>();
        private final Map<String, JsonNode> options = new LinkedHashMap<>();
        private final Map<String, String> switches = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the workflow's name.
         *
         * @param value e.g. {@code summarization-dpo}
         * @return this builder
         */
        public Builder setName(String value) {
            this.name = value;
            return this;
        }

        /**
         * Adds a stage section.
         *
         * @param sectionName the YAML key, e.g. {@code train}
         * @param required whether the workflow needs it
         * @param command the {@code dpo4j} command words, e.g. {@code "data", "prepare"}
         * @return this builder
         */
        public Builder addSection(String sectionName, boolean required, String... command) {
            checkName(sectionName);
            if (command.length == 0) {
                throw new IllegalArgumentException("section '" + sectionName + "' needs a command");
            }
            if (sections.put(sectionName, new Section(sectionName, required, List.of(command))) != null) {
                throw new IllegalArgumentException("section '" + sectionName + "' added twice");
            }
            return this;
        }

        /**
         * Adds a top-level option of this workflow.
         *
         * @param key the YAML key, e.g. {@code iterations}; its flag is {@code --iterations}
         * @param defaultValue the value when the YAML does not set it
         * @return this builder
         */
        public Builder optOption(String key, JsonNode defaultValue) {
            checkName(key);
            options.put(key, defaultValue);
            return this;
        }

        /**
         * Adds a command-line switch that adds an (empty) optional section when the YAML lacks it.
         *
         * @param flag e.g. {@code --merge-adapters}
         * @param sectionName the section it adds
         * @return this builder
         */
        public Builder optSwitch(String flag, String sectionName) {
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("a switch starts with --, got '" + flag + "'");
            }
            switches.put(flag, sectionName);
            return this;
        }

        /**
         * Checks and builds the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException when the name is missing, no section was added, an option
         *     shadows a run key or section, or a switch names an unknown section
         */
        public WorkflowSpec build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a workflow spec needs a name (setName)");
            }
            if (sections.isEmpty()) {
                throw new IllegalArgumentException(name + ": a workflow needs at least one section");
            }
            List<String> taken = new ArrayList<>(WorkflowConfig.RUN_KEYS);
            taken.addAll(sections.keySet());
            for (String key : options.keySet()) {
                if (taken.contains(key)) {
                    throw new IllegalArgumentException(name + ": option '" + key + "' shadows a run key or section");
                }
            }
            switches.forEach((flag, section) -> {
                if (!sections.containsKey(section)) {
                    throw new IllegalArgumentException(name + ": switch " + flag + " names no section: " + section);
                }
            });
            return new WorkflowSpec(this);
        }

        private static void checkName(String key) {
            if (key == null || !NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("not a YAML key name (lower snake case): '" + key + "'");
            }
        }
    }
}
