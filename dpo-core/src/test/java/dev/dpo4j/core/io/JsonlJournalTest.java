package dev.dpo4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlJournalTest {

    @TempDir
    Path dir;

    private static ObjectNode row(int i) {
        return JsonlCodec.MAPPER.createObjectNode().put("id", "r" + i).put("text", "x".repeat(i % 50));
    }

    @Test
    void manyThreadsAppendWholeLinesAndReadGivesThemAll() throws Exception {
        Path file = dir.resolve("j.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            for (int i = 0; i < 400; i++) {
                int n = i;
                pool.execute(() -> journal.append(row(n)));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        List<JsonlRow> rows = JsonlJournal.read(file);
        assertEquals(400, rows.size());
        assertEquals(400, rows.stream().map(r -> r.value().get("id").asText()).distinct().count());
    }

    @Test
    void aLineCutShortByAKillIsDroppedOnReadAndAppendingGoesOnAfterTheLastWholeLine() throws IOException {
        Path file = dir.resolve("j.jsonl");
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            journal.append(row(1));
        }
        Files.writeString(file, "{\"id\": \"r2\", \"te", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(List.of("r1"), JsonlJournal.read(file).stream().map(r -> r.value().get("id").asText()).toList());
        try (JsonlJournal journal = JsonlJournal.open(file)) {
            journal.append(row(3));
        }
        assertEquals(List.of("r1", "r3"),
                JsonlJournal.read(file).stream().map(r -> r.value().get("id").asText()).toList());
    }

    @Test
    void aClosedJournalRefusesAppendsAndAMissingOneReadsEmpty() {
        Path file = dir.resolve("j.jsonl");
        JsonlJournal journal = JsonlJournal.open(file);
        journal.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> journal.append(row(1)));
        assertTrue(e.getMessage().contains("j.jsonl is closed"), e.getMessage());
        assertEquals(List.of(), JsonlJournal.read(dir.resolve("absent.jsonl")));
    }
}
