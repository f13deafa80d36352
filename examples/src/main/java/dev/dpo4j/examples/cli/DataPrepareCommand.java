package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.data.DatasetStats;
import dev.dpo4j.data.PreferenceDataset;
import dev.dpo4j.data.format.PreferenceFormats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpo4j data prepare}: reads an existing preference set in any known layout (TRL,
 * UltraFeedback, argilla, stack-exchange-paired, hh-rlhf, llmforge), filters it, and writes
 * {@code train.jsonl}/{@code valid.jsonl} in TRL's format plus {@code stats.json}.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert, filter and split a preference dataset into TRL JSONL (train.jsonl, valid.jsonl, "
                + "stats.json in --output).",
            "Formats: auto (default) or one of trl, ultrafeedback, argilla, stack-exchange-paired, hh-rlhf, llmforge."})
final class DataPrepareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetInput input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder for train.jsonl, valid.jsonl, stats.json.")
    Path output;

    @Option(names = "--format", defaultValue = "auto", description = "Row layout (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "Model folder whose tokenizer measures lengths as training feeds them: chat template, BOS, EOS"
                    + " (needed by the --max-*-tokens filters).")
    Path tokenizer;

    @Option(names = "--max-prompt-tokens", defaultValue = "0", description = "Drop rows whose prompt is longer; 0 = off.")
    int maxPromptTokens;

    @Option(names = "--max-response-tokens", defaultValue = "0",
            description = "Drop rows whose chosen or rejected answer is longer; 0 = off.")
    int maxResponseTokens;

    @Option(names = "--max-total-tokens", defaultValue = "0",
            description = "Drop rows whose prompt + longer answer is longer; 0 = off.")
    int maxTotalTokens;

    @Option(names = "--keep-duplicates", description = "Keep exact duplicate rows (dropped by default).")
    boolean keepDuplicates;

    @Option(names = "--keep-identical", description = "Keep rows whose chosen equals rejected (dropped by default).")
    boolean keepIdentical;

    @Option(names = "--strict", description = "Stop at the first malformed row instead of counting and skipping it.")
    boolean strict;

    @Option(names = "--valid-fraction", defaultValue = "0", description = "Share of rows in valid.jsonl (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws IOException {
        config.checkKeys(spec);
        OutputFolder.require(output);
        PreferenceDataset.Builder b = PreferenceDataset.builder()
                .addSource(input.open())
                .optDedup(!keepDuplicates)
                .optDropIdentical(!keepIdentical)
                .optSkipBadRows(!strict)
                .optValidFraction(validFraction)
                .optSeed(seed);
        if (!"auto".equals(format)) {
            b.optFormat(PreferenceFormats.byName(format));
        }
        if (maxPromptTokens > 0) {
            b.optMaxPromptTokens(maxPromptTokens);
        }
        if (maxResponseTokens > 0) {
            b.optMaxResponseTokens(maxResponseTokens);
        }
        if (maxTotalTokens > 0) {
            b.optMaxTotalTokens(maxTotalTokens);
        }
        Files.createDirectories(output);
        DatasetStats stats;
        if (tokenizer != null) {
            try (Tokenizer tok = Tokenizer.load(tokenizer)) {
                stats = b.optTokenizer(tok).build().writeTo(output.resolve("train.jsonl"), output.resolve("valid.jsonl"));
            }
        } else {
            stats = b.build().writeTo(output.resolve("train.jsonl"), output.resolve("valid.jsonl"));
        }
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(output.resolve("stats.json").toFile(), stats.toJson());
        PrintWriter out = spec.commandLine().getOut();
        out.println(stats.table());
        out.println("output: " + output.toAbsolutePath());
        out.flush();
        if (stats.kept() == 0) {
            throw new IllegalStateException("no row was kept out of " + stats.rowsRead()
                    + " read; see the drop reasons above (a wrong --format drops every row as malformed)");
        }
        return 0;
    }
}
