package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts a {@code dpo4j data prepare} stage wrote to {@code stats.json} (the JSON form of
 * {@code dev.dpo4j.data.DatasetStats}): every row read is kept or dropped for a reason.
 *
 * @param file the stats file
 * @param rowsRead rows read
 * @param kept rows kept ({@code train + valid})
 * @param train rows in {@code train.jsonl}
 * @param valid rows in {@code valid.jsonl}
 * @param dropped rows dropped per reason key ({@code malformed}, {@code duplicate}, {@code prompt_too_long}, …)
 * @param formats the format used per source
 */
public record PrepareStats(Path file, long rowsRead, long kept, long train, long valid, Map<String, Long> dropped,
                           Map<String, String> formats) {
    /** The stats file name in the prepare output folder. */
    public static final String FILE = "stats.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the maps. */
    public PrepareStats {
        dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        formats = Collections.unmodifiableMap(new LinkedHashMap<>(formats));
    }

    /** @return rows dropped for any reason */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Reads {@code stats.json}.
     *
     * @param dir the prepare stage's output folder
     * @return the stats
     * @throws IOException if the file is missing, not JSON or lacks a count (the message names the file)
     */
    public static PrepareStats read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE + " in " + dir + " (did the data prepare stage run?)");
        }
        JsonNode o = JSON.readTree(file.toFile());
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("dropped").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            dropped.put(e.getKey(), e.getValue().asLong());
        }
        Map<String, String> formats = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("formats").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            formats.put(e.getKey(), e.getValue().asText());
        }
        return new PrepareStats(file, count(o, file, "rows_read"), count(o, file, "kept"), count(o, file, "train"),
                count(o, file, "valid"), dropped, formats);
    }

    private static long count(JsonNode o, Path file, String key) throws IOException {
        JsonNode v = o.get(key);
        if (v == null || !v.isIntegralNumber()) {
            throw new IOException(file + ": " + key + " is missing or not an integer");
        }
        return v.asLong();
    }
}
