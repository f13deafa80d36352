package dev.dpo4j.data.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The file formats {@link Datasets} reads, chosen by file extension after an optional
 * {@code .gz} (which is decompressed transparently).
 */
public enum DatasetFormat {

    /** JSON Lines: one JSON object per line ({@code .jsonl}, {@code .ndjson}). */
    JSONL(".jsonl", ".ndjson"),

    /**
     * JSON: a top-level array of objects, JSON Lines misnamed {@code .json}, or one object holding
     * one array of objects ({@code .json}).
     */
    JSON(".json"),

    /** Comma-separated values with a header row, RFC 4180 quoting; every value a string ({@code .csv}). */
    CSV(".csv"),

    /** Apache Parquet, as the Hugging Face Hub stores datasets ({@code .parquet}); not gzipped. */
    PARQUET(".parquet");

    private final List<String> extensions;

    DatasetFormat(String... extensions) {
        this.extensions = List.of(extensions);
    }

    /**
     * The extensions of this format, lower case with the dot.
     *
     * @return for example {@code [.jsonl, .ndjson]}
     */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * Every extension any format accepts, for messages.
     *
     * @return the extensions, in format order
     */
    public static List<String> supportedExtensions() {
        return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).toList();
    }

    /**
     * The format of a file name, ignoring case and a trailing {@code .gz}.
     *
     * @param fileName a file name such as {@code train-00000-of-00001.parquet} or {@code a.jsonl.gz}
     * @return the format, or empty when the extension is not supported
     */
    public static Optional<DatasetFormat> forFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            lower = lower.substring(0, lower.length() - 3);
        }
        for (DatasetFormat format : values()) {
            for (String extension : format.extensions) {
                if (lower.endsWith(extension)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Streams the rows of one file in this format.
     *
     * @param file the file
     * @return a lazy stream that must be closed
     * @throws DatasetException naming the file when it cannot be opened
     */
    public Stream<DataRow> read(Path file) {
        return switch (this) {
            case JSONL -> JsonlRows.read(file);
            case JSON -> JsonRows.read(file);
            case CSV -> CsvRows.read(file);
            case PARQUET -> ParquetRows.read(file);
        };
    }
}
