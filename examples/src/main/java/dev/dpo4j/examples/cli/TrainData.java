package dev.dpo4j.examples.cli;

import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.data.format.PreferenceFormat;
import dev.dpo4j.data.format.PreferenceFormats;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.io.Datasets;
import dev.dpo4j.data.io.HubDatasetRef;
import java.nio.file.Path;

/**
 * Where {@code dpo4j train} reads its rows: the same sources {@code data prepare} reads. Local files or
 * folders ({@code --data}, {@code --eval-data}: JSONL, JSON, CSV, Parquet, optionally {@code .gz}) or a Hub
 * dataset ({@code --dataset org/name[:config][@rev]} with {@code --split} and an optional
 * {@code --eval-split}), in a layout given by {@code --format} or detected from each source's first row.
 *
 * @param trainPath the training file or folder, or null with {@code dataset}
 * @param validPath the evaluation file or folder, or null
 * @param dataset the Hub dataset, or null with {@code trainPath}
 * @param split the Hub dataset's training split
 * @param evalSplit the Hub dataset's evaluation split, or null
 * @param format a preference layout name ({@link PreferenceFormats#names()}), or {@code auto}
 */
record TrainData(Path trainPath, Path validPath, String dataset, String split, String evalSplit, String format) {

    /** The layout name that means: detect it from each source's first row. */
    static final String AUTO = "auto";

    /**
     * Checks that exactly one training source is named, and that an evaluation split has a Hub dataset.
     *
     * @throws IllegalArgumentException naming the flags
     */
    TrainData {
        if ((trainPath == null) == (dataset == null)) {
            throw new IllegalArgumentException(trainPath == null
                    ? "missing training data: give --data FILE|DIR or --dataset ORG/NAME (YAML: data or dataset)"
                    : "give one of --data " + trainPath + " and --dataset " + dataset + ", not both");
        }
        if (evalSplit != null && dataset == null) {
            throw new IllegalArgumentException("--eval-split " + evalSplit + " needs --dataset; with local files use"
                    + " --eval-data");
        }
        if (evalSplit != null && validPath != null) {
            throw new IllegalArgumentException("give one of --eval-data and --eval-split, not both");
        }
        split = split == null ? HubDatasetRef.DEFAULT_SPLIT : split;
        format = format == null ? AUTO : format;
    }

    /**
     * Opens the training rows (a Hub dataset is downloaded into the Hub cache here).
     *
     * @return the dataset
     * @throws IllegalArgumentException naming the flag when a file is missing or of an unknown kind
     */
    Dataset train() {
        return dataset == null ? local("--data", trainPath) : hub(split);
    }

    /**
     * Opens the evaluation rows, if any.
     *
     * @return the dataset, or null when none was given
     */
    Dataset eval() {
        if (validPath != null) {
            return local("--eval-data", validPath);
        }
        return evalSplit == null ? null : hub(evalSplit);
    }

    /**
     * The preference layout to read every row in.
     *
     * @return the layout, or null to detect it
     * @throws IllegalArgumentException listing the known layouts for an unknown name
     */
    PreferenceFormat preferenceFormat() {
        return AUTO.equalsIgnoreCase(format) ? null : PreferenceFormats.byName(format);
    }

    private static Dataset local(String flag, Path path) {
        try {
            return Datasets.open(path);
        } catch (DatasetException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    private Dataset hub(String name) {
        return Datasets.hub(new HubClient(HubSettings.fromEnvironment()), HubDatasetRef.parse(dataset, name));
    }
}
