package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNN/DailyMail-sized split (300,000 rows) streams through a JVM whose heap is a fraction of
 * the file: {@link StreamingMain} runs in a child JVM with {@code -Xmx32m} over a ~135 MB file.
 */
class StreamingTest {

    private static final int ROWS = 300_000;
    private static final int HEAP_MB = 32;

    @TempDir
    Path dir;

    @Test
    void largeJsonlStreamsInASmallHeap() throws IOException, InterruptedException {
        Path file = dir.resolve("big.jsonl");
        String filler = "lorem ipsum dolor sit amet ".repeat(15);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < ROWS; i++) {
                out.write("{\"id\":" + i + ",\"article\":\"" + filler + i + "\",\"highlights\":\"h" + i + "\"}\n");
            }
        }
        long bytes = Files.size(file);
        assertTrue(bytes > 4L * HEAP_MB * 1024 * 1024, "file should be over 4x the heap, is " + bytes);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StreamingMain.class.getName(), file.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(finished, "child timed out: " + output);
        assertEquals(0, child.exitValue(), output);
        // The validation count is the number of positions the split's hash sends to validation,
        // computed here without reading the file.
        long valid = 0;
        for (long position = 0; position < ROWS; position++) {
            valid += Dataset.isValidation(position, 0.1, 5) ? 1 : 0;
        }
        assertTrue(output.contains("rows=" + ROWS + " valid=" + valid), output);
    }
}
