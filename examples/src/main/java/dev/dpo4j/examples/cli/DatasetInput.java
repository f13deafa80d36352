package dev.dpo4j.examples.cli;

import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.Datasets;
import dev.dpo4j.data.io.HubDatasetRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a {@code dpo4j data} command reads rows: local files ({@code --input}, JSONL, JSON, CSV,
 * Parquet, gzip) or a Hub dataset ({@code --dataset org/name[:config][@revision]} and
 * {@code --split}), through the same Hub cache as models ({@code HF_HOME}, {@code HF_HUB_OFFLINE}).
 */
final class DatasetInput {

    @Option(names = "--input", split = ",", paramLabel = "FILE|DIR",
            description = "Local dataset files or folders (.jsonl, .json, .csv, .parquet, optionally .gz); "
                    + "repeat or comma-separate.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "ORG/NAME[:CONFIG][@REV]",
            description = "A Hugging Face Hub dataset, downloaded into the Hub cache (instead of --input).")
    String dataset;

    @Option(names = "--split", defaultValue = HubDatasetRef.DEFAULT_SPLIT,
            description = "Split of --dataset (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N rows; 0 = all.")
    long limit;

    /**
     * Opens the chosen source (lazily; rows stream from disk).
     *
     * @return the dataset
     * @throws IllegalArgumentException when neither or both of --input and --dataset are given
     */
    Dataset open() {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        if ((dataset == null) == inputs.isEmpty()) {
            throw new IllegalArgumentException("give exactly one of --input FILE and --dataset ORG/NAME");
        }
        Dataset rows;
        if (dataset != null) {
            rows = Datasets.hub(new HubClient(HubSettings.fromEnvironment()), HubDatasetRef.parse(dataset, split));
        } else if (inputs.size() == 1) {
            rows = Datasets.open(inputs.get(0));
        } else {
            rows = Datasets.open(String.join(",", inputs.stream().map(Path::toString).toList()), inputs);
        }
        return limit > 0 ? rows.limit(limit) : rows;
    }
}
