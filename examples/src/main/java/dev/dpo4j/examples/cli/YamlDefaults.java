package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option defaults from the YAML file named by {@code --config}: option {@code --max-new-tokens}
 * reads key {@code max_new_tokens}. Unknown keys are an error, so a typo never silently does nothing.
 */
final class YamlDefaults implements IDefaultValueProvider {
    private final JsonNode root;
    private final Path file;

    private YamlDefaults(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Finds {@code --config FILE} (or {@code --config=FILE}) in raw arguments and reads it.
     *
     * @param args the command line
     * @return the provider (empty when no config is given)
     */
    static YamlDefaults fromArgs(String[] args) {
        String path = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        if (path == null) {
            return new YamlDefaults(null, null);
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("config file not found: " + file));
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root != null && !root.isObject() && !root.isMissingNode()) {
                throw new IOException(file + ": expected a YAML mapping of option names to values");
            }
            return new YamlDefaults(file, root);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that every key names an option of the command.
     *
     * @param spec the command's options; its qualified name ({@code dpo4j data synth}) goes in the message
     */
    void checkKeys(picocli.CommandLine.Model.CommandSpec spec) {
        String command = spec.qualifiedName();
        if (root == null || !root.isObject()) {
            return;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String option = "--" + key.replace('_', '-');
            if (spec.findOption(option) == null) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "' for '" + command + "' (see "
                        + command + " --help)");
            }
        }
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (root == null || !(argSpec instanceof OptionSpec option)) {
            return null;
        }
        JsonNode v = null;
        for (String name : option.names()) { // any of the option's names: --dtype reads dtype or torch_dtype
            JsonNode found = root.get(name.replaceFirst("^--", "").replace('-', '_').toLowerCase(Locale.ROOT));
            if (found != null && !found.isNull()) {
                v = found;
                break;
            }
        }
        if (v == null) {
            return null;
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode e : v) {
                sb.append(sb.length() == 0 ? "" : ",").append(e.asText());
            }
            return sb.toString();
        }
        return v.asText();
    }
}
