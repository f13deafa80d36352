package dev.dpo4j.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of the commands whose flags a YAML file can default
 * ({@link YamlDefaults} reads the file before the command line is parsed). Used as a picocli
 * {@code @Mixin}; the command calls {@link #checkKeys(CommandSpec)} before it loads a model or
 * sends a request.
 */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML file of option defaults (keys in snake_case, e.g. max_new_tokens: 64).")
    Path file;

    /**
     * Refuses a key of the file that names no option of the command, so that a typo never
     * silently does nothing. Does nothing without {@code --config}.
     *
     * @param spec the command's spec
     * @throws IllegalArgumentException naming the file and the key
     */
    void checkKeys(CommandSpec spec) {
        if (file != null && spec.commandLine().getDefaultValueProvider() instanceof YamlDefaults yaml) {
            yaml.checkKeys(spec);
        }
    }
}
