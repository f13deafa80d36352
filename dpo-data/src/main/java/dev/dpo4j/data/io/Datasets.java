package dev.dpo4j.data.io;

import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubException;
import dev.dpo4j.core.hub.ModelRef;
import dev.dpo4j.core.hub.RepoType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Opens datasets: local files and folders in JSON Lines, JSON, CSV or Parquet, and Hub dataset
 * splits through the shared Hugging Face cache.
 *
 * <pre>{@code
 * Dataset data = Datasets.open(Path.of("data/train.jsonl.gz"));
 * Dataset.Split split = data.split(0.05, 42);
 * Dataset test = Datasets.hub(new HubClient(HubSettings.fromEnvironment()),
 *         HubDatasetRef.parse("abisee/cnn_dailymail:3.0.0", "test"));
 * }</pre>
 */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Opens a file, or every supported file in a folder and its subfolders in sorted path order.
     * Nothing is read until the dataset is streamed; the format comes from the extension (see
     * {@link DatasetFormat}).
     *
     * @param path a file or folder
     * @return the dataset, named by the path
     * @throws DatasetException when the path does not exist, the extension is not supported, or a
     *     folder holds no supported file
     */
    public static Dataset open(Path path) {
        Objects.requireNonNull(path, "path");
        String name = path.toString();
        if (Files.isDirectory(path)) {
            List<Path> files = filesIn(path);
            if (files.isEmpty()) {
                throw new DatasetException(name, "folder holds no dataset file (supported: "
                        + String.join(", ", DatasetFormat.supportedExtensions()) + ", optionally .gz)", null);
            }
            return open(name, files);
        }
        if (!Files.exists(path)) {
            throw new DatasetException(name, "file not found", null);
        }
        return open(name, List.of(path));
    }

    /**
     * Opens several files as one dataset, read in the order given.
     *
     * @param name the dataset name for messages
     * @param files the files; each must exist and have a supported extension
     * @return the dataset
     * @throws DatasetException naming the first file that is missing or of unknown format
     */
    public static Dataset open(String name, List<Path> files) {
        Objects.requireNonNull(name, "name");
        List<Path> copy = List.copyOf(files);
        if (copy.isEmpty()) {
            throw new DatasetException(name, "no files to read", null);
        }
        for (Path file : copy) {
            formatOf(file);
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(file.toString(), "file not found", null);
            }
        }
        return Dataset.of(name, () -> ConcatRows.read(copy, name));
    }

    /**
     * Opens a split of a Hub dataset, downloading its files into the shared Hugging Face cache
     * through {@code client} (so {@code HF_HOME}, tokens and offline mode work as for models).
     *
     * <p>The revision's file list comes from the Hub, or, in offline mode, from the cached
     * snapshot; the split's files are found as {@link HubDatasetFiles} describes. When none match,
     * the Hub's Parquet conversion ({@value HubDatasetRef#PARQUET_CONVERSION_REVISION}, layout
     * {@code {config}/{split}/NNNN.parquet} with config {@code default} when none is given) is
     * tried. Files already in the cache are not downloaded again.
     *
     * @param client the Hub client
     * @param ref the dataset, config, split and revision
     * @return the split, read from the cache; rows name the cached files
     * @throws DatasetException listing the repository's files when the split is not found
     * @throws HubException when the Hub refuses, cannot be reached, or offline mode lacks a file
     */
    public static Dataset hub(HubClient client, HubDatasetRef ref) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(ref, "ref");
        ModelRef repo = ref.repo();
        List<String> notes = new ArrayList<>();
        List<String> files = listFiles(client, repo, false, notes);
        List<String> split = HubDatasetFiles.match(files, ref.config(), ref.split());
        if (split.isEmpty() && !ref.revision().equals(HubDatasetRef.PARQUET_CONVERSION_REVISION)) {
            ModelRef converted = new ModelRef(ref.repoId(), HubDatasetRef.PARQUET_CONVERSION_REVISION);
            List<String> convertedFiles = listFiles(client, converted, true, notes);
            String config = ref.config() == null ? HubDatasetRef.DEFAULT_CONFIG : ref.config();
            List<String> convertedSplit = HubDatasetFiles.match(convertedFiles, config, ref.split()).stream()
                    .filter(f -> DatasetFormat.forFileName(f).orElseThrow() == DatasetFormat.PARQUET)
                    .toList();
            if (!convertedSplit.isEmpty()) {
                repo = converted;
                split = convertedSplit;
            }
        }
        if (split.isEmpty()) {
            throw new DatasetException(ref.toString(), "no files for split '" + ref.split() + "'"
                    + (ref.config() == null ? "" : " of config '" + ref.config() + "'")
                    + " in revision " + ref.revision() + " (nor in " + HubDatasetRef.PARQUET_CONVERSION_REVISION
                    + "); files found: " + summary(files) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)),
                    null);
        }
        Path snapshot = client.downloadFiles(RepoType.DATASET, repo, split);
        List<Path> local = split.stream().map(snapshot::resolve).toList();
        return open(ref.toString(), local);
    }

    /**
     * The files of a revision: from the Hub, or from the cached snapshot in offline mode. A
     * missing revision is an error unless {@code optional} (the Parquet conversion may not exist).
     */
    private static List<String> listFiles(HubClient client, ModelRef repo, boolean optional, List<String> notes) {
        if (!client.settings().offline()) {
            try {
                return client.repoInfo(RepoType.DATASET, repo).files();
            } catch (HubException e) {
                if (!optional || e.kind() != HubException.Kind.REVISION_NOT_FOUND) {
                    throw e;
                }
                notes.add("revision " + repo.revision() + " not found");
                return List.of();
            }
        }
        Optional<String> commit = client.cache().cachedCommit(RepoType.DATASET, repo);
        if (commit.isEmpty()) {
            notes.add("offline mode and revision " + repo.revision() + " is not in the cache "
                    + client.cache().repoDir(RepoType.DATASET, repo.repoId()));
            return List.of();
        }
        Path snapshot = client.cache().snapshotDir(RepoType.DATASET, repo.repoId(), commit.get());
        if (!Files.isDirectory(snapshot)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(snapshot)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> snapshot.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DatasetException(snapshot.toString(), "cannot list cached snapshot: " + e, e);
        }
    }

    private static String summary(List<String> files) {
        int shown = 40;
        if (files.isEmpty()) {
            return "none";
        }
        String listed = String.join(", ", files.subList(0, Math.min(shown, files.size())));
        return files.size() <= shown ? listed : listed + ", ... (" + files.size() + " in all)";
    }

    /**
     * The format of a file from its extension.
     *
     * @param file the file
     * @return its format
     * @throws DatasetException listing the supported extensions when it has none of them
     */
    static DatasetFormat formatOf(Path file) {
        Path fileName = file.getFileName();
        return DatasetFormat.forFileName(fileName == null ? "" : fileName.toString())
                .orElseThrow(() -> new DatasetException(file.toString(), "unsupported file extension; supported: "
                        + String.join(", ", DatasetFormat.supportedExtensions()) + " (optionally followed by .gz)",
                        null));
    }

    private static List<Path> filesIn(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> DatasetFormat.forFileName(p.getFileName().toString()).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DatasetException(folder.toString(), "cannot list folder: " + e, e);
        }
    }
}
