package dev.dpo4j.data.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the files of one split among a Hub dataset repository's files, trying the layouts the Hub
 * and the {@code datasets} library use, in this order (the first that matches wins; {@code ext} is
 * any supported extension, optionally {@code .gz}):
 *
 * <ol>
 *   <li>with a config: {@code {config}/{split}-*.ext}, {@code {config}/{split}.ext},
 *       {@code {config}/{split}/*.ext}, {@code {config}/partial-{split}/*.ext} (the last two are the
 *       {@code refs/convert/parquet} layout, {@code default/train/0000.parquet});
 *   <li>without a config, or with {@code default}: {@code data/{split}-*.ext},
 *       {@code data/{split}.ext}, {@code data/{split}/*.ext}, {@code {split}-*.ext},
 *       {@code {split}.ext}, {@code {split}/*.ext}.
 * </ol>
 *
 * <p>When a layout matches files of several formats, Parquet is preferred, then JSON Lines, JSON
 * and CSV. Files are returned in sorted order, so shards are read in order.
 */
final class HubDatasetFiles {

    private static final List<DatasetFormat> PREFERENCE = List.of(
            DatasetFormat.PARQUET, DatasetFormat.JSONL, DatasetFormat.JSON, DatasetFormat.CSV);

    private HubDatasetFiles() {
    }

    /**
     * The files of a split.
     *
     * @param files the repository's file paths, {@code /}-separated
     * @param config the config, or null for none
     * @param split the split
     * @return the matching files, sorted; empty when no layout matches
     */
    static List<String> match(List<String> files, String config, String split) {
        List<String> prefixes = new ArrayList<>();
        if (config != null) {
            prefixes.add(config + "/");
        }
        if (config == null || config.equals(HubDatasetRef.DEFAULT_CONFIG)) {
            prefixes.add("data/");
            prefixes.add("");
        }
        for (String prefix : prefixes) {
            List<String> layouts = new ArrayList<>(List.of(
                    prefix + split + "-*", prefix + split + ".", prefix + split + "/*"));
            if (config != null && prefix.equals(config + "/")) {
                layouts.add(prefix + "partial-" + split + "/*");
            }
            for (String layout : layouts) {
                List<String> found = preferredFormat(files.stream().filter(f -> matches(f, layout)).toList());
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return List.of();
    }

    /**
     * Whether a file fits a layout: {@code dir/stem-*} (a shard), {@code dir/stem.} (the whole
     * split in one file) or {@code dir/*} (every file directly in a folder).
     */
    private static boolean matches(String file, String layout) {
        Optional<DatasetFormat> format = DatasetFormat.forFileName(file);
        if (format.isEmpty()) {
            return false;
        }
        int slash = file.lastIndexOf('/');
        String dir = file.substring(0, slash + 1);
        String base = file.substring(slash + 1);
        if (layout.endsWith("/*")) {
            return dir.equals(layout.substring(0, layout.length() - 1));
        }
        int layoutSlash = layout.lastIndexOf('/');
        if (!dir.equals(layout.substring(0, layoutSlash + 1))) {
            return false;
        }
        String pattern = layout.substring(layoutSlash + 1);
        if (pattern.endsWith("-*")) {
            return base.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        String stem = pattern.substring(0, pattern.length() - 1);
        return base.startsWith(pattern) && DatasetFormat.forFileName(base).isPresent()
                && stripExtension(base).equals(stem);
    }

    private static String stripExtension(String base) {
        String lower = base.toLowerCase(Locale.ROOT);
        String name = lower.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static List<String> preferredFormat(List<String> found) {
        for (DatasetFormat format : PREFERENCE) {
            List<String> ofFormat = found.stream()
                    .filter(f -> DatasetFormat.forFileName(f).orElseThrow() == format)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            if (!ofFormat.isEmpty()) {
                return ofFormat;
            }
        }
        return List.of();
    }
}
