package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow's YAML, read and checked once before any stage runs. The file holds the run keys
 * ({@link #RUN_KEYS}: {@code run_name}, {@code output_dir}, {@code model_id}, {@code device}), the
 * workflow's own options (e.g. {@code iterations}) and one section per stage, named as in its
 * {@link WorkflowSpec}, whose keys are those of the {@code dpo4j} command that runs the stage (the flags
 * in snake case, as that command's own {@code --config} file takes them).
 *
 * <p>Every error is one line naming the file (or "command line" for an override) and the key: an
 * unknown top-level key or section, a missing required section or {@code model_id}, a key the stage's
 * command does not have ({@code train.lerning_rate: unknown key for 'dpo4j train' … did you mean
 * 'learning_rate'?}).
 *
 * <p>Defaults: {@code run_name} = the file's name without {@code .yaml}, {@code output_dir} =
 * {@code runs/<run_name>}, {@code device} = {@code cpu}. {@code output_dir} is made absolute, so the stage
 * configs written under it work from any directory.
 */
public final class WorkflowConfig {
    /** The top-level keys every workflow has. */
    public static final List<String> RUN_KEYS = List.of("run_name", "output_dir", "model_id", "device");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String COMMAND_LINE = "command line";

    private final Path file;
    private final WorkflowSpec spec;
    private final String runName;
    private final Path outputDir;
    private final String modelId;
    private final String device;
    private final Map<String, ObjectNode> sections;
    private final Map<String, JsonNode> options;
    private final Set<String> overridden;

    private WorkflowConfig(Path file, WorkflowSpec spec, ObjectNode root, Set<String> overridden) {
        this.file = file;
        this.overridden = Set.copyOf(overridden);
        this.spec = spec;
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        this.runName = root.hasNonNull("run_name") ? root.get("run_name").asText() : name;
        Path out = root.hasNonNull("output_dir") ? Path.of(root.get("output_dir").asText()) : Path.of("runs", runName);
        this.outputDir = out.toAbsolutePath().normalize();
        String model = root.get("model_id").asText();
        this.modelId = Files.isDirectory(Path.of(model)) ? Path.of(model).toAbsolutePath().normalize().toString() : model;
        this.device = root.hasNonNull("device") ? root.get("device").asText() : "cpu";
        Map<String, ObjectNode> present = new LinkedHashMap<>();
        for (WorkflowSpec.Section s : spec.sections()) {
            if (root.has(s.name())) {
                JsonNode v = root.get(s.name());
                present.put(s.name(), v.isObject() ? ((ObjectNode) v).deepCopy() : JsonNodeFactory.instance.objectNode());
            }
        }
        this.sections = Collections.unmodifiableMap(present);
        Map<String, JsonNode> opts = new LinkedHashMap<>(spec.options());
        spec.options().keySet().forEach(k -> {
            if (root.hasNonNull(k)) {
                opts.put(k, root.get(k).deepCopy());
            }
        });
        this.options = Collections.unmodifiableMap(opts);
    }

    /**
     * Reads and checks a workflow YAML.
     *
     * @param file the YAML file
     * @param spec the workflow it configures
     * @return the config
     * @throws IllegalArgumentException one line naming the file and the key
     */
    public static WorkflowConfig read(Path file, WorkflowSpec spec) {
        return load(file, spec, List.of());
    }

    /**
     * Reads a workflow YAML and lays a command line's overrides over it.
     *
     * @param args the parsed command line
     * @param spec the workflow
     * @return the config
     * @throws IllegalArgumentException one line naming the file or the command line, and the key
     */
    public static WorkflowConfig load(WorkflowArgs args, WorkflowSpec spec) {
        if (args.config() == null) {
            throw new IllegalArgumentException("missing --config FILE");
        }
        return load(args.config(), spec, args.overrides());
    }

    /**
     * Reads a workflow YAML, checks it, applies overrides and checks the result again (so an error the
     * file causes on its own names the file, one an override causes names the command line).
     *
     * @param file the YAML file
     * @param spec the workflow
     * @param overrides changes to apply, in order
     * @return the config
     * @throws IllegalArgumentException one line naming the file or the command line, and the key
     */
    public static WorkflowConfig load(Path file, WorkflowSpec spec, List<ConfigOverride> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("workflow config not found: " + file);
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new IllegalArgumentException(file + ": empty config (needs at least model_id and the sections "
                    + requiredSections(spec) + ")");
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping of keys to values, got " + tree.getNodeType());
        }
        ObjectNode root = (ObjectNode) tree;
        check(root, spec, file.toString(), overrides.isEmpty());
        if (!overrides.isEmpty()) {
            root = root.deepCopy();
            for (ConfigOverride o : overrides) {
                apply(root, o);
            }
            check(root, spec, COMMAND_LINE, true);
        }
        Set<String> overridden = new HashSet<>();
        overrides.stream().filter(o -> o.section() == null).forEach(o -> overridden.add(o.key()));
        return new WorkflowConfig(file, spec, root, overridden);
    }

    private static void apply(ObjectNode root, ConfigOverride o) {
        if (o.section() == null) {
            root.set(o.key(), o.value());
            return;
        }
        JsonNode existing = root.get(o.section());
        if (existing == null && o.onlyIfPresent()) {
            return;
        }
        ObjectNode section = existing instanceof ObjectNode obj ? obj : root.putObject(o.section());
        if (o.key() == null) {
            return;
        }
        // --input and --dataset are exclusive in every dpo4j command: setting one clears the other.
        if (o.key().equals("input")) {
            section.remove(List.of("dataset", "split"));
        } else if (o.key().equals("dataset")) {
            section.remove("input");
        }
        section.set(o.key(), o.value());
    }

    /** Checks keys and sections; {@code complete} also checks what overrides could still add. */
    private static void check(ObjectNode root, WorkflowSpec spec, String source, boolean complete) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (RUN_KEYS.contains(key)) {
                if (value != null && !value.isNull() && (!value.isValueNode() || value.asText().isBlank())) {
                    throw new IllegalArgumentException(source + ": " + key + " must be a non-empty string, got " + value);
                }
            } else if (spec.options().containsKey(key)) {
                continue;
            } else if (spec.section(key).isPresent()) {
                checkSection(source, spec.section(key).get(), value);
            } else {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "' for " + spec.name()
                        + " (run keys: " + String.join(", ", RUN_KEYS) + "; sections: " + sectionNames(spec)
                        + (spec.options().isEmpty() ? "" : "; options: " + String.join(", ", spec.options().keySet()))
                        + suggestion(key, allTopKeys(spec)) + ")");
            }
        }
        if (!complete) {
            return;
        }
        if (!root.hasNonNull("model_id")) {
            throw new IllegalArgumentException(source + ": model_id is required (a model folder or Hub id, "
                    + "e.g. model_id: Qwen/Qwen2.5-0.5B-Instruct)");
        }
        for (WorkflowSpec.Section s : spec.sections()) {
            if (s.required() && !root.has(s.name())) {
                throw new IllegalArgumentException(source + ": section '" + s.name() + "' is required by " + spec.name()
                        + " (keys of 'dpo4j " + String.join(" ", s.command()) + "')");
            }
        }
    }

    private static void checkSection(String source, WorkflowSpec.Section section, JsonNode value) {
        String command = "dpo4j " + String.join(" ", section.command());
        Set<String> keys = CommandKeys.of(section.command()).orElseThrow(() -> new IllegalArgumentException(source
                + ": section '" + section.name() + "' needs '" + command + "', which this build of dpo4j does not have"));
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(source + ": section '" + section.name() + "' must be a mapping of "
                    + command + " keys, got " + value.getNodeType());
        }
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(source + ": " + section.name() + "." + key + ": unknown key for '"
                        + command + "' (see ./" + command + " --help)" + suggestion(key, keys));
            }
        }
    }

    private static String suggestion(String key, Iterable<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(key, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static List<String> allTopKeys(WorkflowSpec spec) {
        List<String> keys = new ArrayList<>(RUN_KEYS);
        spec.sections().forEach(s -> keys.add(s.name()));
        keys.addAll(spec.options().keySet());
        return keys;
    }

    private static String sectionNames(WorkflowSpec spec) {
        return String.join(", ", spec.sections().stream().map(WorkflowSpec.Section::name).toList());
    }

    private static String requiredSections(WorkflowSpec spec) {
        return String.join(", ", spec.sections().stream().filter(WorkflowSpec.Section::required)
                .map(WorkflowSpec.Section::name).toList());
    }

    /** @return the YAML file */
    public Path file() {
        return file;
    }

    /** @return the workflow this config is for */
    public WorkflowSpec spec() {
        return spec;
    }

    /** @return the run's name */
    public String runName() {
        return runName;
    }

    /** @return the run folder (absolute): one folder per stage, stage configs in {@code configs/} */
    public Path outputDir() {
        return outputDir;
    }

    /** @return the base model: a Hub id, or a local folder (made absolute) */
    public String modelId() {
        return modelId;
    }

    /** @return {@code cpu}, {@code gpu} or {@code gpu:N} */
    public String device() {
        return device;
    }

    /**
     * Whether the YAML has a section (an empty {@code merge:} counts).
     *
     * @param name the section's name
     * @return true when present
     */
    public boolean has(String name) {
        return sections.containsKey(name);
    }

    /**
     * A section's keys.
     *
     * @param name the section's name
     * @return a copy of its keys; empty when the section is absent or empty
     */
    public ObjectNode section(String name) {
        ObjectNode s = sections.get(name);
        return s == null ? JsonNodeFactory.instance.objectNode() : s.deepCopy();
    }

    /**
     * A workflow option as an integer.
     *
     * @param key the option, declared in the spec
     * @param min the smallest allowed value
     * @return the value (the spec's default when the YAML does not set it)
     * @throws IllegalArgumentException naming the file and key when it is not an integer of at least {@code min}
     */
    public int intOption(String key, int min) {
        JsonNode v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException(spec.name() + " has no option '" + key + "'");
        }
        Integer value = v.isIntegralNumber() && v.canConvertToInt() ? Integer.valueOf(v.intValue())
                : v.isTextual() && v.asText().strip().matches("-?\\d{1,9}") ? Integer.valueOf(v.asText().strip()) : null;
        if (value == null || value < min) {
            throw new IllegalArgumentException((overridden.contains(key) ? COMMAND_LINE : file.toString()) + ": " + key
                    + " must be an integer >= " + min + ", got " + v);
        }
        return value;
    }

    /**
     * Where a stage writes its outputs.
     *
     * @param stage the stage's name
     * @return {@code <output_dir>/<stage>}
     */
    public Path stageDir(String stage) {
        return outputDir.resolve(stage);
    }

    /** @return {@code <output_dir>/configs}, where every stage's YAML is written */
    public Path configsDir() {
        return outputDir.resolve("configs");
    }
}
