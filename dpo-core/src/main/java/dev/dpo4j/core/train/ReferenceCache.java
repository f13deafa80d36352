package dev.dpo4j.core.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reference log-probs on disk, next to the run: one JSONL line per pair
 * ({@code {"index": i, "chosen": …, "rejected": …}}), appended and flushed as they are computed, so a
 * crash loses at most the line being written and a restart computes only what is missing.
 *
 * <p>The file name carries a key: SHA-256 of the reference model's fingerprint and every pair's token
 * ids. Other data, another model or another starting adapter give another file, never stale values.
 */
public final class ReferenceCache implements AutoCloseable {

    /**
     * The reference model's summed log-probs of one pair's completions.
     *
     * @param chosen of the chosen completion
     * @param rejected of the rejected completion
     */
    public record Logps(double chosen, double rejected) {
    }

    private final Path file;
    private final Map<Integer, Logps> values = new HashMap<>();
    private final JsonlWriter writer;

    private ReferenceCache(Path file) throws IOException {
        this.file = file;
        this.writer = JsonlWriter.append(file); // trims a line cut short by a crash
        try (JsonlReader reader = JsonlReader.open(file)) {
            for (JsonlRow row : reader) {
                values.put((int) row.value().get("index").asLong(),
                        new Logps(row.value().get("chosen").asDouble(), row.value().get("rejected").asDouble()));
            }
        }
    }

    /**
     * Opens (or starts) the cache for a model and a dataset.
     *
     * @param dir the run directory
     * @param name a label, e.g. {@code train} or {@code eval}
     * @param modelFingerprint identifies the reference model's weights
     * @param pairs the dataset, in index order
     * @return the cache
     */
    public static ReferenceCache open(Path dir, String name, String modelFingerprint, List<PreferencePair> pairs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(modelFingerprint.getBytes(StandardCharsets.UTF_8));
            for (PreferencePair p : pairs) {
                for (long[] ids : List.of(p.promptIds(), p.chosenIds(), p.rejectedIds())) {
                    sha.update((byte) '|');
                    for (long id : ids) {
                        sha.update(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
                        sha.update((byte) ',');
                    }
                }
            }
            String key = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            Files.createDirectories(dir);
            return new ReferenceCache(dir.resolve("ref_logps-" + name + "-" + key + ".jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /**
     * The cached values of a pair.
     *
     * @param index the pair's index in the dataset
     * @return the pair's reference log-probs, or {@code null} when not computed yet
     */
    public Logps get(int index) {
        return values.get(index);
    }

    /** Number of pairs cached. */
    public int size() {
        return values.size();
    }

    /**
     * Records a pair's reference log-probs (written through at once).
     *
     * @param index the pair's index
     * @param chosen reference log-prob of the chosen completion
     * @param rejected of the rejected one
     */
    public void put(int index, double chosen, double rejected) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("index", index);
        row.put("chosen", chosen);
        row.put("rejected", rejected);
        writer.write(row);
        values.put(index, new Logps(chosen, rejected));
    }

    @Override
    public void close() {
        writer.close();
    }
}
