package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One step of a workflow: a {@code dpo4j} command and the complete {@code --config} file it runs with
 * (the workflow section's keys, with the model, the device and the paths chained from earlier stages
 * filled in). Written to {@code <output_dir>/configs/<name>.yaml}, it reruns alone with
 * {@code ./dpo4j <command> --config <that file>}.
 *
 * @param name the stage's name, also its config file's and output folder's name (e.g. {@code train-2})
 * @param command the command words, e.g. {@code [data, synth]}
 * @param keys the config file's keys (copied; the accessor returns a copy)
 */
public record Stage(String name, List<String> command, ObjectNode keys) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    /**
     * Checks the name and copies the command and keys.
     *
     * @throws IllegalArgumentException when the name is not lower-case letters, digits, {@code -} and {@code _}
     */
    public Stage {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a stage name is lower case letters, digits, - and _: '" + name + "'");
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("stage " + name + " has no command");
        }
        keys = keys.deepCopy();
    }

    /** @return a copy of the config file's keys */
    @Override
    public ObjectNode keys() {
        return keys.deepCopy();
    }

    /**
     * The stage's config file.
     *
     * @param configsDir the run's {@code configs} folder
     * @return {@code configsDir/<name>.yaml}
     */
    public Path configFile(Path configsDir) {
        return configsDir.resolve(name + ".yaml");
    }

    /**
     * The arguments that run the stage.
     *
     * @param configFile the written config file
     * @return e.g. {@code [data, synth, --config, FILE]}
     */
    public String[] args(Path configFile) {
        List<String> args = new ArrayList<>(command);
        args.add("--config");
        args.add(configFile.toString());
        return args.toArray(String[]::new);
    }

    /**
     * The shell command that reruns the stage alone.
     *
     * @param configFile the written config file
     * @return e.g. {@code ./dpo4j train --config runs/x/configs/train.yaml}
     */
    public String commandLine(Path configFile) {
        return "./dpo4j " + String.join(" ", command) + " --config " + configFile;
    }

    /**
     * Writes the config file, with a comment saying where it comes from and how to rerun it.
     *
     * @param configsDir the run's {@code configs} folder (created if needed)
     * @param origin a line saying which workflow and run wrote it
     * @return the file
     * @throws IOException if it cannot be written
     */
    public Path write(Path configsDir, String origin) throws IOException {
        Files.createDirectories(configsDir);
        Path file = configFile(configsDir);
        String text = "# " + origin + "\n# Rerun this stage alone with:\n#   " + commandLine(file) + "\n"
                + YAML.writeValueAsString(keys);
        AtomicFiles.writeString(file, text);
        return file;
    }
}
