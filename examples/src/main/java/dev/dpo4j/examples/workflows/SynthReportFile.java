package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.data.synth.SynthReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the {@link SynthReport} a {@code dpo4j data synth} stage wrote to {@code report.json}. */
public final class SynthReportFile {
    /** The report's file name in the synth output folder. */
    public static final String FILE = "report.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SynthReportFile() {
    }

    /**
     * Reads the report (the inverse of {@link SynthReport#toJson()}).
     *
     * @param dir the synth stage's output folder
     * @return the report
     * @throws IOException if the file is missing, not JSON, or lacks a count (the message names the file and key)
     */
    public static SynthReport read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE + " in " + dir + " (did the data synth stage run?)");
        }
        JsonNode o = JSON.readTree(file.toFile());
        return new SynthReport(count(o, file, "articles_in"), count(o, file, "articles_with_pairs"),
                count(o, file, "articles_without_pairs"), count(o, file, "articles_rejected"),
                count(o, file, "duplicate_articles"), count(o, file, "articles_resumed"),
                count(o, file, "question_sets_rejected"), count(o, file, "summaries_rejected"),
                count(o, file, "judgements_rejected"), count(o, file, "pairs_train"), count(o, file, "pairs_valid"),
                count(o, file, "requests_sent"), count(o, file, "requests_reused"), count(o, file, "request_failures"));
    }

    private static long count(JsonNode o, Path file, String key) throws IOException {
        JsonNode v = o.get(key);
        if (v == null || !v.isIntegralNumber()) {
            throw new IOException(file + ": " + key + " is missing or not an integer");
        }
        return v.asLong();
    }
}
