package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.train.TrainConfig;
import dev.dpo4j.examples.cli.Dpo4jCli;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The YAML keys a {@code dpo4j} command reads from {@code --config}, taken from the CLI itself (picocli's
 * model of {@link Dpo4jCli}), so a workflow section is checked against exactly what the command will
 * accept: an option's long name in snake case ({@code --max-new-tokens} → {@code max_new_tokens}). For
 * {@code train} the llmforge/TRL names it also reads are added: every {@link TrainConfig} key,
 * {@code lora_config}, {@code preference_tuning_config}, the aliases {@code TrainSettings} maps
 * ({@code model_id}, {@code train_path}, {@code num_train_epochs}, …) and the llmforge cluster keys it
 * notes and ignores.
 */
final class CommandKeys {
    /** llmforge/TRL names that {@code dpo4j train} reads besides its flags and TrainConfig's keys. */
    private static final Set<String> TRAIN_ALIASES = Set.of("model_id", "model_name_or_path", "train_path",
            "valid_path", "output_dir", "train_batch_size_per_device", "per_device_train_batch_size",
            "eval_batch_size_per_device", "per_device_eval_batch_size", "num_train_epochs", "context_length",
            "lora_config", "preference_tuning_config", "num_devices", "deepspeed", "flash_attention_2", "padding",
            "worker_resources", "logger", "num_checkpoints_to_keep");

    private static final Map<List<String>, Optional<Set<String>>> CACHE = new ConcurrentHashMap<>();

    private CommandKeys() {
    }

    /**
     * The keys a command accepts in its {@code --config} file.
     *
     * @param command the command words, e.g. {@code [data, synth]}
     * @return the keys, or empty when this build of dpo4j has no such command
     */
    static Optional<Set<String>> of(List<String> command) {
        return CACHE.computeIfAbsent(List.copyOf(command), CommandKeys::read);
    }

    /**
     * Whether a command reads a key (a command that does not exist reads none).
     *
     * @param command the command words
     * @param key the snake-case key
     * @return true when the command accepts it
     */
    static boolean accepts(List<String> command, String key) {
        return of(command).map(keys -> keys.contains(key)).orElse(false);
    }

    private static Optional<Set<String>> read(List<String> command) {
        CommandLine cli = new CommandLine(new Dpo4jCli());
        for (String word : command) {
            cli = cli.getSubcommands().get(word);
            if (cli == null) {
                return Optional.empty();
            }
        }
        CommandSpec spec = cli.getCommandSpec();
        Set<String> keys = new LinkedHashSet<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--config")) {
                continue;
            }
            keys.add(option.longestName().replaceFirst("^--", "").replace('-', '_'));
        }
        if (command.equals(List.of("train"))) {
            JsonNode defaults = new ObjectMapper().valueToTree(TrainConfig.builder().build());
            for (Iterator<String> it = defaults.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            keys.addAll(TRAIN_ALIASES);
        }
        return Optional.of(Set.copyOf(keys));
    }
}
