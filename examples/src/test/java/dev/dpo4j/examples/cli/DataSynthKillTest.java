package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.examples.loopback.FaultPlan;
import dev.dpo4j.examples.loopback.LoopbackChatServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j data synth} killed with SIGKILL mid-run (a separate JVM) and run again with the same
 * command finishes with exactly the outputs of an uninterrupted run, and the servers (judge and a
 * served base model, both on loopback with injected faults, both in this JVM so they outlive the
 * child) answered each distinct request once, except the few that were in flight at the kill.
 */
class DataSynthKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ARTICLES = 30;
    private static final int CANDIDATES = 4;
    private static final int CONCURRENCY = 4;

    @TempDir
    Path tmp;

    private static List<String> args(Path out, LoopbackChatServer judge, LoopbackChatServer writer) {
        Path cnn = Fixtures.path("real/datasets/cnn_dailymail/cnn_dailymail_3.0.0_test_first100.json");
        return new ArrayList<>(List.of("data", "synth", "--input", cnn.toString(), "--limit", Integer.toString(ARTICLES),
                "--output", out.toString(), "--candidates", Integer.toString(CANDIDATES), "--threshold", "1",
                "--judge-url", judge.baseUrl(), "--judge-model", "loopback-judge",
                "--judge-concurrency", Integer.toString(CONCURRENCY),
                "--writer-url", writer.baseUrl(), "--writer-model", "loopback-writer",
                "--writer-concurrency", Integer.toString(CONCURRENCY), "--api-key-env", "DPO4J_TEST_UNSET_KEY"));
    }

    @Test
    void aKilledRunRerunAsksEachRequestOnceAndWritesTheUninterruptedOutputs() throws Exception {
        Path killed = tmp.resolve("killed");
        FaultPlan faults = FaultPlan.uniform(0.02, 0);
        try (LoopbackChatServer judge = new LoopbackChatServer(40, faults, 1, 16);
             LoopbackChatServer writer = new LoopbackChatServer(40, faults, 2, 16)) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", Dpo4jCli.class.getName()));
            command.addAll(args(killed, judge, writer));
            Path log = tmp.resolve("child.log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (lines(killed.resolve("summaries.jsonl")) < 40) { // a third of the 120 summaries
                    if (!child.isAlive()) {
                        fail("the child ended (exit " + child.exitValue() + ") before the kill:\n" + Files.readString(log));
                    }
                    if (System.nanoTime() > deadline) {
                        fail("no progress in 120 s:\n" + Files.readString(log));
                    }
                    Thread.sleep(10);
                }
            } finally {
                child.destroyForcibly(); // SIGKILL
                child.waitFor(30, TimeUnit.SECONDS);
            }
            assertTrue(!Files.exists(killed.resolve("report.json")), "the child must die before finishing");

            DataSynthCommandTest.run(args(killed, judge, writer));

            // Only requests in flight at the kill (at most one per concurrency slot) were answered
            // but never journaled; everything else must have been asked exactly once.
            long repeats = judge.answeredMoreThanOnce() + writer.answeredMoreThanOnce();
            System.out.println("requests answered twice across the kill: " + repeats);
            assertTrue(repeats <= 2 * CONCURRENCY, "answered twice: " + repeats);
            assertEquals(ARTICLES + ARTICLES * CANDIDATES, judge.distinctAnswered());
            assertEquals(ARTICLES * CANDIDATES, writer.distinctAnswered());
            assertUniqueKeys(killed.resolve("summaries.jsonl"), "article_id", "k");
            assertUniqueKeys(killed.resolve("judgements.jsonl"), "article_id", "k");
            assertUniqueKeys(killed.resolve("questions.jsonl"), "article_id", null);
            JsonNode report = JSON.readTree(killed.resolve("report.json").toFile());
            assertEquals(ARTICLES, report.get("articles_in").asLong());
            assertEquals(0, report.get("articles_rejected").asLong(), report.toString());
            assertTrue(report.get("requests_reused").asLong() > 0, report.toString());
        }

        Path straight = tmp.resolve("straight");
        try (LoopbackChatServer judge = new LoopbackChatServer(0, FaultPlan.NONE, 1, 16);
             LoopbackChatServer writer = new LoopbackChatServer(0, FaultPlan.NONE, 2, 16)) {
            DataSynthCommandTest.run(args(straight, judge, writer));
        }
        for (String file : new String[] {"train.jsonl", "valid.jsonl"}) {
            List<String> expected = Files.readAllLines(straight.resolve(file));
            List<String> actual = Files.readAllLines(killed.resolve(file));
            assertEquals(expected, actual, file);
            assertEquals(actual.size(), new HashSet<>(actual).size(), "duplicate rows in " + file);
        }
        assertTrue(Files.readAllLines(straight.resolve("train.jsonl")).size() > 0);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    private static void assertUniqueKeys(Path journal, String field, String second) throws IOException {
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode row = JSON.readTree(line);
            String key = row.get(field).asText() + (second == null ? "" : "#" + row.get(second).asText());
            assertTrue(keys.add(key), journal.getFileName() + ": " + key + " written twice");
        }
    }
}
