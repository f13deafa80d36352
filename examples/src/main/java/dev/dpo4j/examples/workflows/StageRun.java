package dev.dpo4j.examples.workflows;

import java.nio.file.Path;
import java.util.List;

/**
 * A stage that ran to completion.
 *
 * @param name the stage's name
 * @param command the {@code dpo4j} command words
 * @param configFile the config file it ran with
 * @param seconds its wall time
 * @param stdout what the command printed on standard output (its summary table)
 */
public record StageRun(String name, List<String> command, Path configFile, double seconds, String stdout) {
    /** Copies the command. */
    public StageRun {
        command = List.copyOf(command);
    }
}
