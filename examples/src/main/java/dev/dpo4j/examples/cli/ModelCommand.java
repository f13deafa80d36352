package dev.dpo4j.examples.cli;

import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every model-driven, JSONL-in/JSONL-out subcommand shares: the model, input, output, batch size,
 * device, config file and resumption.
 */
abstract class ModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "Model directory (config.json + safetensors [+ tokenizer]) or Hugging Face Hub id.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Input JSONL, one row per line ('-' for stdin).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Output JSONL, one row per input row.")
    Path output;

    @Option(names = "--batch-size", defaultValue = "8", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, or gpu / gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--resume", description = "Keep the rows already in --output and continue after them.")
    boolean resume;

    @Mixin
    ConfigOption config;

    @Mixin
    PrecisionOptions precision;

    /** Reads all input rows; bad lines fail with file:line. */
    List<JsonlRow> readRows() throws IOException {
        List<JsonlRow> rows = new ArrayList<>();
        try (JsonlReader reader = JsonlReader.open(Path.of(input))) {
            reader.forEach(rows::add);
        }
        return rows;
    }

    /** Loads the model on the chosen device. */
    CausalLm loadModel() {
        config.checkKeys(spec);
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        return ModelLoading.load(model, Devices.parse(device), precision.settings(), spec.commandLine().getErr());
    }

    /** Rows already written by an earlier run when resuming, else 0 (and the output is truncated). */
    long rowsDone() throws IOException {
        if (resume && Files.isRegularFile(output)) {
            return JsonlWriter.countLines(output);
        }
        return 0;
    }

    /** The output writer: appending when resuming. */
    JsonlWriter openOutput(long done) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return done > 0 ? JsonlWriter.append(output) : JsonlWriter.create(output);
    }
}
