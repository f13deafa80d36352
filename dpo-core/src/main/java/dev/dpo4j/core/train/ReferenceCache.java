package dev.dpo4j.core.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.DirectoryLock;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference log-probs on disk, one JSONL line per pair ({@code {"index": i, "chosen": …, "rejected": …}}),
 * appended and flushed as they are computed, so a crash loses at most the line being written and a
 * restart computes only what is missing.
 *
 * <p>The file is keyed on what the reference really is: SHA-256 of the reference's identity (the base
 * model's fingerprint with its precision and quantization, and for {@code reference: initial} the
 * starting adapter's) and every pair's token ids. Nothing of the run that uses it is in the key, so the
 * cache lives in a folder shared across runs ({@link #defaultDirectory()}, as TRL keeps its precomputed
 * reference in the datasets cache): a resume, a second epoch, and a later run with another β on the same
 * model and data all read it instead of recomputing. Another model, another starting adapter or other
 * data give another file, never stale values.
 *
 * <p>One run writes a file at a time, under an operating-system lock beside it; a second run on the same
 * key meanwhile reads what is there and computes the rest without writing. A non-finite log-prob is
 * never written ({@link #put} refuses it).
 */
public final class ReferenceCache implements AutoCloseable {

    /** The environment variable, and system property {@code dpo4j.cache}, naming the shared cache folder. */
    public static final String CACHE_ENV = "DPO4J_CACHE";

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
    private final int reused;
    private final DirectoryLock lock; // null when another run writes this file
    private final JsonlWriter writer; // null when another run writes this file

    private ReferenceCache(Path file) throws IOException {
        this.file = file;
        DirectoryLock held;
        try {
            held = DirectoryLock.acquire(file.resolveSibling("." + file.getFileName() + ".lock"), "training run");
        } catch (IllegalStateException busy) {
            held = null;
        }
        this.lock = held;
        this.writer = held == null ? null : JsonlWriter.append(file); // trims a line cut short by a crash
        if (Files.exists(file)) {
            try (JsonlReader reader = JsonlReader.open(file)) {
                for (JsonlRow row : reader) {
                    values.put((int) row.value().get("index").asLong(),
                            new Logps(row.value().get("chosen").asDouble(), row.value().get("rejected").asDouble()));
                }
            }
        }
        this.reused = values.size();
    }

    /**
     * The shared cache folder's reference log-probs: {@code $DPO4J_CACHE/ref_logps} (or the system property
     * {@code dpo4j.cache}), else {@code $XDG_CACHE_HOME/dpo4j/ref_logps}, else
     * {@code ~/.cache/dpo4j/ref_logps}.
     *
     * @return the folder (not created here)
     */
    public static Path defaultDirectory() {
        String configured = System.getProperty("dpo4j.cache", System.getenv(CACHE_ENV));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).resolve("ref_logps");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("dpo4j").resolve("ref_logps");
    }

    /**
     * Opens (or starts) the cache of a reference and a dataset.
     *
     * @param dir the cache folder, created if needed
     * @param name a label in the file name, e.g. {@code train} or {@code eval}
     * @param referenceIdentity what the reference is (see the class comment)
     * @param pairs the dataset, in index order
     * @return the cache
     */
    public static ReferenceCache open(Path dir, String name, String referenceIdentity, List<PreferencePair> pairs) {
        String key = ModelFingerprint.ofTokens(referenceIdentity,
                pairs.stream().map(p -> List.of(p.promptIds(), p.chosenIds(), p.rejectedIds())).toList()).substring(0, 16);
        try {
            Files.createDirectories(dir);
            return new ReferenceCache(dir.resolve("ref_logps-" + name + "-" + key + ".jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the reference cache in " + dir + ": " + e.getMessage(), e);
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

    /** Number of pairs found in the file when it was opened (computed by an earlier run or pass). */
    public int reused() {
        return reused;
    }

    /** Whether this run writes the file ({@code false} while another run holds it). */
    public boolean writable() {
        return writer != null;
    }

    /**
     * Records a pair's reference log-probs (written through at once when this run holds the file).
     *
     * @param index the pair's index
     * @param chosen reference log-prob of the chosen completion
     * @param rejected of the rejected one
     * @throws IllegalArgumentException when a value is NaN or infinite: a model problem, never cached
     */
    public void put(int index, double chosen, double rejected) {
        if (!Double.isFinite(chosen) || !Double.isFinite(rejected)) {
            throw new IllegalArgumentException("the reference model gives pair " + index + " the log-probs chosen "
                    + chosen + ", rejected " + rejected + ": its weights or its forward produce NaN or Inf (check the"
                    + " base model's and adapter's tensors); nothing was cached");
        }
        if (writer != null) {
            ObjectNode row = JsonNodeFactory.instance.objectNode();
            row.put("index", index);
            row.put("chosen", chosen);
            row.put("rejected", rejected);
            writer.write(row);
        }
        values.put(index, new Logps(chosen, rejected));
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        if (lock != null) {
            lock.close();
        }
    }
}
