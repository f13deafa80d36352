package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns a workflow section into a stage's complete config: keys the workflow sets itself (the model,
 * the output folder, inputs chained from earlier stages, the device) are filled in and may not be set by
 * the user ({@link #fixed}), others get a default only when the section leaves them out
 * ({@link #fallback}). Relative paths that exist are made absolute, so the stage config works from any
 * directory.
 */
final class StageKeys {
    /** Keys whose values are file or folder paths. */
    private static final Set<String> PATH_KEYS = Set.of("input", "tokenizer", "cache_dir", "prompts", "data",
            "eval_data", "train_path", "valid_path", "adapter");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final WorkflowConfig config;
    private final String section;
    private final List<String> command;
    private final ObjectNode keys;

    private StageKeys(WorkflowConfig config, String section, List<String> command, ObjectNode keys) {
        this.config = config;
        this.section = section;
        this.command = command;
        this.keys = keys;
    }

    /**
     * Starts from a section's keys.
     *
     * @param config the workflow config
     * @param section the section's name (declared in the config's spec)
     * @return the keys, relative paths made absolute
     */
    static StageKeys of(WorkflowConfig config, String section) {
        List<String> command = config.spec().section(section)
                .orElseThrow(() -> new IllegalArgumentException(config.spec().name() + " has no section " + section))
                .command();
        ObjectNode keys = config.section(section);
        for (Iterator<String> it = keys.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (PATH_KEYS.contains(key)) {
                keys.set(key, absolute(keys.get(key)));
            }
        }
        return new StageKeys(config, section, command, keys);
    }

    /**
     * Sets a key the workflow owns.
     *
     * @param key the key
     * @param value its value (text, path, number, boolean, list or JSON)
     * @param aliases other names of the same setting the command reads
     * @return this
     * @throws IllegalArgumentException naming the file and key when the section sets it (or an alias)
     */
    StageKeys fixed(String key, Object value, String... aliases) {
        JsonNode node = node(value);
        for (String k : concat(key, aliases)) {
            if (keys.has(k)) {
                throw new IllegalArgumentException(config.file() + ": " + section + "." + k + " is set by the "
                        + config.spec().name() + " workflow" + (k.equals(key) ? "" : " (as " + key + ")") + " to "
                        + node.toString() + "; remove it from the section");
            }
        }
        keys.set(key, node);
        return this;
    }

    /**
     * Sets a key the workflow owns, when the command has it (e.g. {@code device}).
     *
     * @param key the key
     * @param value its value
     * @return this
     */
    StageKeys fixedIfAccepted(String key, Object value) {
        return CommandKeys.accepts(command, key) ? fixed(key, value) : this;
    }

    /**
     * Gives a key a value when the section leaves it out.
     *
     * @param key the key
     * @param value its default
     * @return this
     */
    StageKeys fallback(String key, Object value) {
        if (!keys.has(key) || keys.get(key).isNull()) {
            keys.set(key, node(value));
        }
        return this;
    }

    /**
     * Puts the workflow's entries of a list key before the section's own.
     *
     * @param key a repeatable key, e.g. {@code adapter}
     * @param values the workflow's entries
     * @return this
     */
    StageKeys prepend(String key, List<String> values) {
        ArrayNode list = NODES.arrayNode();
        values.forEach(list::add);
        JsonNode own = keys.get(key);
        if (own != null && own.isArray()) {
            list.addAll((ArrayNode) own);
        } else if (own != null && !own.isNull()) {
            list.add(own);
        }
        keys.set(key, list);
        return this;
    }

    /**
     * Removes keys.
     *
     * @param names the keys
     * @return this
     */
    StageKeys remove(String... names) {
        keys.remove(List.of(names));
        return this;
    }

    /**
     * Whether the section sets a key.
     *
     * @param key the key
     * @return true when set to a non-null value
     */
    boolean has(String key) {
        return keys.hasNonNull(key);
    }

    /**
     * A key's value.
     *
     * @param key the key
     * @return the value, or null
     */
    JsonNode get(String key) {
        return keys.get(key);
    }

    /**
     * The stage.
     *
     * @param name the stage's name
     * @return the stage with these keys and the section's command
     */
    Stage toStage(String name) {
        return new Stage(name, command, keys);
    }

    private static List<String> concat(String key, String[] aliases) {
        List<String> all = new ArrayList<>(List.of(aliases));
        all.add(0, key);
        return all;
    }

    private static JsonNode node(Object value) {
        if (value instanceof JsonNode n) {
            return n.deepCopy();
        }
        if (value instanceof Path p) {
            return NODES.textNode(p.toAbsolutePath().normalize().toString());
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(v -> a.add(v.toString()));
            return a;
        }
        return NODES.textNode(String.valueOf(value));
    }

    private static JsonNode absolute(JsonNode value) {
        if (value.isArray()) {
            ArrayNode a = NODES.arrayNode();
            value.forEach(v -> a.add(absolute(v)));
            return a;
        }
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText();
        try {
            Path p = Path.of(text);
            return !p.isAbsolute() && !text.isBlank() && Files.exists(p)
                    ? NODES.textNode(p.toAbsolutePath().normalize().toString()) : value;
        } catch (InvalidPathException e) {
            return value;
        }
    }
}
