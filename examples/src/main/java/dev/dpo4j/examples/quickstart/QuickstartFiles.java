package dev.dpo4j.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The quickstart's small files: article rows, the from-scratch loss curve, stage completion stamps. */
final class QuickstartFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DONE = "quickstart_stage.json";

    private QuickstartFiles() {
    }

    /** Writes articles as CNN/DailyMail-style rows (id, article, highlights), atomically. */
    static void writeArticles(Path file, List<NewsArticle> articles) throws IOException {
        writeLines(file, articles.stream().map(a -> {
            ObjectNode row = JSON.createObjectNode();
            row.put("id", a.id()).put("article", a.text()).put("highlights", a.highlights());
            return row;
        }).toList());
    }

    /** Writes one {@code {"step", "loss"}} line per step, the trainer's metrics.jsonl layout. */
    static void writeLosses(Path file, List<Double> losses) throws IOException {
        writeLines(file, java.util.stream.IntStream.range(0, losses.size()).mapToObj(i -> {
            ObjectNode row = JSON.createObjectNode();
            row.put("step", i + 1).put("loss", losses.get(i));
            return row;
        }).toList());
    }

    /** Whether an earlier run finished the stage in {@code dir} with the same settings. */
    static boolean isDone(Path dir, ObjectNode settings) throws IOException {
        Path stamp = dir.resolve(DONE);
        if (!Files.isRegularFile(stamp)) {
            return false;
        }
        JsonNode earlier = JSON.readTree(stamp.toFile());
        if (!earlier.equals(JSON.readTree(JSON.writeValueAsString(settings)))) { // as read back: 42L reads as int
            throw new IllegalStateException(dir + " holds the result of other settings (" + earlier
                    + "); use another --output or delete it");
        }
        return true;
    }

    /** Records that the stage in {@code dir} finished with these settings. */
    static void markDone(Path dir, ObjectNode settings) throws IOException {
        writeLines(dir.resolve(DONE), List.of(settings));
    }

    private static void writeLines(Path file, List<? extends JsonNode> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (JsonNode row : rows) {
            text.append(JSON.writeValueAsString(row)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }
}
