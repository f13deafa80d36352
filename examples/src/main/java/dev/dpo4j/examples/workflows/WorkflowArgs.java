package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A workflow's command line: {@code --config FILE} and the overrides laid over it.
 *
 * <pre>
 *   --config FILE          the workflow YAML (required)
 *   --run-name NAME        run_name
 *   --output-dir DIR       output_dir
 *   --model-id ID|DIR      model_id (also --model)
 *   --device DEV           device: cpu, gpu or gpu:N
 *   --input FILE           data.input (replaces data.dataset and data.split)
 *   --limit N              data.limit
 *   --max-steps N          max_steps of every training section the YAML has (sft, train)
 *   --set KEY=VALUE        any key: run key, option or section.key; VALUE is read as YAML ([a, b], 3, true)
 *   --OPTION VALUE         the workflow's own options, e.g. --iterations 2
 *   --SWITCH               the workflow's switches, e.g. --merge-adapters
 * </pre>
 *
 * @param config the YAML file, or null with {@code help}
 * @param overrides the overrides, in command-line order
 * @param help whether {@code --help} was given
 */
public record WorkflowArgs(Path config, List<ConfigOverride> overrides, boolean help) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Copies the overrides. */
    public WorkflowArgs {
        overrides = List.copyOf(overrides);
    }

    /**
     * Parses a workflow's command line.
     *
     * @param args the arguments
     * @param spec the workflow (its options, switches and training sections)
     * @return the parsed arguments
     * @throws IllegalArgumentException naming the option when one is unknown, lacks a value, or
     *     {@code --config} is missing
     */
    public static WorkflowArgs parse(String[] args, WorkflowSpec spec) {
        Path config = null;
        boolean help = false;
        List<ConfigOverride> overrides = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inline = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (spec.switches().containsKey(arg)) {
                overrides.add(new ConfigOverride(arg, spec.switches().get(arg), null, null, false));
                continue;
            }
            String value = inline;
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value" + (isKnown(arg, spec) ? ""
                            : " (and is not an option of " + spec.name() + "; see --help)"));
                }
                value = args[++i];
            }
            String origin = arg + " " + value;
            switch (arg) {
                case "--config" -> config = Path.of(value);
                case "--run-name" -> overrides.add(ConfigOverride.top(origin, "run_name", TextNode.valueOf(value)));
                case "--output-dir" -> overrides.add(ConfigOverride.top(origin, "output_dir", TextNode.valueOf(value)));
                case "--model-id", "--model" -> overrides.add(ConfigOverride.top(origin, "model_id", TextNode.valueOf(value)));
                case "--device" -> overrides.add(ConfigOverride.top(origin, "device", TextNode.valueOf(value)));
                case "--input" -> overrides.add(ConfigOverride.inSection(origin, "data", "input", TextNode.valueOf(value)));
                case "--limit" -> overrides.add(ConfigOverride.inSection(origin, "data", "limit", yaml(value)));
                case "--max-steps" -> {
                    for (WorkflowSpec.Section s : spec.sections()) {
                        if (s.command().equals(List.of("train"))) {
                            overrides.add(new ConfigOverride(origin, s.name(), "max_steps", yaml(value), true));
                        }
                    }
                }
                case "--set" -> overrides.add(set(origin, value));
                default -> {
                    String key = arg.startsWith("--") ? arg.substring(2).replace('-', '_').toLowerCase(Locale.ROOT) : "";
                    if (!spec.options().containsKey(key)) {
                        throw new IllegalArgumentException("unknown option '" + arg + "' for " + spec.name()
                                + " (see --help)");
                    }
                    overrides.add(ConfigOverride.top(origin, key, yaml(value)));
                }
            }
        }
        if (config == null && !help) {
            throw new IllegalArgumentException("missing --config FILE (a workflow YAML, e.g. examples/configs/"
                    + spec.name() + ".yaml)");
        }
        return new WorkflowArgs(config, overrides, help);
    }

    /**
     * The usage text of a workflow's main.
     *
     * @param spec the workflow
     * @param mainClass the class to name in the text
     * @return several lines
     */
    public static String usage(WorkflowSpec spec, String mainClass) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ").append(mainClass).append(" --config FILE [overrides]\n\n");
        sb.append("  --config FILE        the workflow YAML (see examples/configs/").append(spec.name()).append(".yaml)\n");
        sb.append("  --run-name NAME      run_name\n");
        sb.append("  --output-dir DIR     output_dir (stage configs in DIR/configs, one folder per stage)\n");
        sb.append("  --model-id ID|DIR    model_id (also --model)\n");
        sb.append("  --device DEV         cpu, gpu or gpu:N\n");
        sb.append("  --input FILE         data.input, instead of data.dataset\n");
        sb.append("  --limit N            data.limit\n");
        sb.append("  --max-steps N        max_steps of every training section\n");
        sb.append("  --set KEY=VALUE      any key, e.g. --set train.beta=0.05 (VALUE read as YAML)\n");
        spec.options().forEach((key, def) -> sb.append(String.format(Locale.ROOT, "  %-20s %s (default %s)%n",
                "--" + key.replace('_', '-') + " V", key, def)));
        spec.switches().forEach((flag, section) -> sb.append(String.format(Locale.ROOT, "  %-20s adds the %s stage%n",
                flag, section)));
        return sb.toString();
    }

    private static boolean isKnown(String arg, WorkflowSpec spec) {
        return List.of("--config", "--run-name", "--output-dir", "--model-id", "--model", "--device", "--input", "--limit",
                "--max-steps", "--set").contains(arg)
                || arg.startsWith("--") && spec.options().containsKey(arg.substring(2).replace('-', '_'));
    }

    private static ConfigOverride set(String origin, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set needs KEY=VALUE (e.g. train.beta=0.05), got '" + assignment + "'");
        }
        String path = assignment.substring(0, eq).strip();
        JsonNode value = yaml(assignment.substring(eq + 1));
        int dot = path.indexOf('.');
        if (dot < 0) {
            return ConfigOverride.top(origin, path, value);
        }
        String section = path.substring(0, dot);
        String key = path.substring(dot + 1);
        if (section.isEmpty() || key.isEmpty() || key.contains(".")) {
            throw new IllegalArgumentException("--set " + assignment + ": KEY is a run key or section.key, got '"
                    + path + "'");
        }
        return ConfigOverride.inSection(origin, section, key, value);
    }

    /** A value as YAML reads it: {@code 3} a number, {@code [a, b]} a list, {@code true} a boolean, else text. */
    static JsonNode yaml(String text) {
        if (text.isBlank()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode node = YAML.readTree(text);
            return node == null || node.isMissingNode() ? JsonNodeFactory.instance.nullNode() : node;
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }
}
