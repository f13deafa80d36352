package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code eval.json}: the settings that decide what is asked (each contender's model, the judge,
 * generation sampling, the seed, the number of questions, the judge's sampling, the prompts'
 * digests). The journals are only valid for these settings, so a rerun with a different value is
 * refused with the list of differences. A setting the directory does not record yet (a contender
 * added later, a judge first used now) is added; the threshold, the bootstrap, the concurrency and
 * the title only shape the report and may change freely.
 */
final class EvalManifest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalManifest() {
    }

    /**
     * Writes the manifest when the directory has none; otherwise checks that every setting
     * recorded in both agrees, and adds the new ones.
     *
     * @param file the manifest file
     * @param expected this run's manifest ({@link EvalSettings#manifest()})
     * @throws IllegalStateException listing every differing setting
     * @throws UncheckedIOException when the file cannot be read or written
     */
    static void checkOrMerge(Path file, ObjectNode expected) {
        try {
            // Compare with the values as they read back from JSON: a long seed reads as an int.
            ObjectNode now = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsBytes(expected));
            if (!Files.exists(file)) {
                AtomicFiles.write(file, MAPPER.writeValueAsBytes(now));
                return;
            }
            JsonNode found = MAPPER.readTree(file.toFile());
            if (!(found instanceof ObjectNode stored)) {
                throw new IllegalStateException(file + " is not a JSON object; remove it or use a new output directory");
            }
            ObjectNode merged = stored.deepCopy();
            List<String> diffs = new ArrayList<>();
            merge(merged, now, "", diffs);
            if (!diffs.isEmpty()) {
                throw new IllegalStateException(file.getParent() + " holds an evaluation made with other settings ("
                        + String.join("; ", diffs) + "); rerun with the same settings or use a new output directory");
            }
            if (!merged.equals(stored)) {
                AtomicFiles.write(file, MAPPER.writeValueAsBytes(merged));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Adds the fields of {@code now} missing from {@code target}; records the ones that differ. */
    private static void merge(ObjectNode target, ObjectNode now, String prefix, List<String> diffs) {
        Iterator<Map.Entry<String, JsonNode>> fields = now.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode old = target.get(name);
            JsonNode value = field.getValue();
            if (old == null || old.isNull()) {
                target.set(name, value);
            } else if (old instanceof ObjectNode oldObject && value instanceof ObjectNode newObject) {
                merge(oldObject, newObject, prefix + name + ".", diffs);
            } else if (!value.isNull() && !old.equals(value)) {
                diffs.add(prefix + name + ": " + old + " in the directory, " + value + " now");
            }
        }
    }
}
