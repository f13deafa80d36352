package dev.dpo4j.data.synth;

import static dev.dpo4j.data.synth.SynthTesting.config;
import static dev.dpo4j.data.synth.SynthTesting.lines;
import static dev.dpo4j.data.synth.SynthTesting.pipeline;
import static dev.dpo4j.data.synth.SynthTesting.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.io.DirectoryLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Killing a run and running it again: nothing asked twice that was recorded, nothing lost. */
class SynthResumeTest {

    private static final SynthScript SCRIPT = new SynthScript(30, 5, 4, 11L, true);
    private static final int JUDGE_THREADS = 3;
    private static final int WRITER_THREADS = 2;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {13, 96, 190})
    void crashMidRunThenRerunAsksEveryRecordedRequestOnceAndWritesTheSameRows(int crashAt) throws IOException {
        SynthConfig cfg = config(SCRIPT).build();
        // Reference: one uninterrupted run.
        Path reference = tmp.resolve("reference");
        SynthReport expected = pipeline(reference, cfg, new FakeChatModel("judge", JUDGE_THREADS, SCRIPT),
                new FakeChatModel("base", WRITER_THREADS, SCRIPT)).run(SCRIPT.articleList());

        // Run 1 dies (an Error out of the model, like a kill) at request number crashAt + 1.
        Path dir = tmp.resolve("run");
        AtomicInteger countdown = new AtomicInteger(crashAt);
        FakeChatModel judge1 = new FakeChatModel("judge", JUDGE_THREADS, SCRIPT, countdown);
        FakeChatModel writer1 = new FakeChatModel("base", WRITER_THREADS, SCRIPT, countdown);
        assertThrows(FakeChatModel.SimulatedCrash.class,
                () -> pipeline(dir, cfg, judge1, writer1).run(SCRIPT.articleList()));
        assertFalse(Files.exists(dir.resolve("train.jsonl")), "outputs are written only by a finished run");

        // The kill also cut the last summary line in half.
        Path summaries = dir.resolve("summaries.jsonl");
        byte[] bytes = Files.readAllBytes(summaries);
        int lastStart = new String(bytes, StandardCharsets.UTF_8).lastIndexOf('\n', bytes.length - 2) + 1;
        Files.write(summaries, Arrays.copyOf(bytes, lastStart + (bytes.length - lastStart) / 2));

        Set<String> recorded = recordedKeys(dir);
        Map<String, Integer> asked1 = new HashMap<>();
        judge1.asked.forEach((k, v) -> asked1.put(k, v.get()));
        writer1.asked.forEach((k, v) -> asked1.put(k, v.get()));
        assertTrue(recorded.size() >= crashAt - JUDGE_THREADS - WRITER_THREADS && recorded.size() <= crashAt,
                "the crash came mid-run: " + recorded.size() + " recorded");

        // Run 2: same command.
        FakeChatModel judge2 = new FakeChatModel("judge", JUDGE_THREADS, SCRIPT);
        FakeChatModel writer2 = new FakeChatModel("base", WRITER_THREADS, SCRIPT);
        SynthReport report = pipeline(dir, cfg, judge2, writer2).run(SCRIPT.articleList());
        Map<String, Integer> asked2 = new HashMap<>();
        judge2.asked.forEach((k, v) -> asked2.put(k, v.get()));
        writer2.asked.forEach((k, v) -> asked2.put(k, v.get()));

        // Each run asks each logical request at most once.
        asked1.values().forEach(c -> assertEquals(1, c));
        asked2.values().forEach(c -> assertEquals(1, c));
        // Nothing recorded by run 1 is asked again.
        for (String key : recorded) {
            assertFalse(asked2.containsKey(key), "re-asked a recorded request " + key);
        }
        // Together the runs ask exactly what one uninterrupted run asks.
        Set<String> union = new HashSet<>(asked1.keySet());
        union.addAll(asked2.keySet());
        assertEquals(expected.requestsSent(), union.size());
        // Asked twice: only requests in flight at the crash (at most one per thread, the crashing
        // one included) and the one whose journal line the kill cut short.
        Set<String> twice = new HashSet<>(asked1.keySet());
        twice.retainAll(asked2.keySet());
        assertTrue(twice.size() <= JUDGE_THREADS + WRITER_THREADS + 1, "asked twice: " + twice);
        assertEquals(report.requestsSent() + report.requestsReused(), expected.requestsSent());

        // Same rows, byte for byte, and the same counts.
        assertEquals(read(reference.resolve("train.jsonl")), read(dir.resolve("train.jsonl")));
        assertEquals(read(reference.resolve("valid.jsonl")), read(dir.resolve("valid.jsonl")));
        assertEquals(expected.articlesWithPairs(), report.articlesWithPairs());
        assertEquals(expected.articlesWithoutPairs(), report.articlesWithoutPairs());
        assertEquals(expected.articlesRejected(), report.articlesRejected());
        assertEquals(expected.judgementsRejected(), report.judgementsRejected());
        assertEquals(expected.summariesRejected(), report.summariesRejected());
        // Every journal line parses (the cut line was removed, not glued to the next one) and is unique.
        for (String name : new String[] {"questions", "summaries", "judgements", "rejects", "articles"}) {
            Set<String> keys = new HashSet<>();
            for (JsonNode line : lines(dir.resolve(name + ".jsonl"))) {
                String key = line.path("stage").asText() + "|" + line.get("article_id").asText() + "|"
                        + line.path("k").asInt(-1);
                assertTrue(keys.add(key), name + " has a duplicate line " + key);
            }
        }
        assertEquals(30, lines(dir.resolve("articles.jsonl")).size());

        // Run 3 over a finished directory sends nothing and rewrites identical outputs.
        FakeChatModel judge3 = new FakeChatModel("judge", JUDGE_THREADS, SCRIPT);
        FakeChatModel writer3 = new FakeChatModel("base", WRITER_THREADS, SCRIPT);
        SynthReport again = pipeline(dir, cfg, judge3, writer3).run(SCRIPT.articleList());
        assertEquals(0, again.requestsSent());
        assertEquals(30, again.articlesResumed());
        assertEquals(expected.requestsSent(), again.requestsReused());
        assertTrue(judge3.requests.isEmpty() && writer3.requests.isEmpty());
        assertEquals(read(reference.resolve("train.jsonl")), read(dir.resolve("train.jsonl")));
    }

    @Test
    void retryRejectsAsksOnlyTheRejectedRequestsAgain() {
        SynthConfig cfg = config(SCRIPT).build();
        Path dir = tmp.resolve("retry");
        SynthReport first = pipeline(dir, cfg, new FakeChatModel("judge", 2, SCRIPT),
                new FakeChatModel("base", 2, SCRIPT)).run(SCRIPT.articleList());
        assertTrue(first.requestFailures() > 0);

        // The endpoint is healthy now; without retryRejects nothing is asked, with it only the rejects.
        SynthScript healthy = new SynthScript(30, 5, 4, 11L, false);
        FakeChatModel judge = new FakeChatModel("judge", 2, healthy);
        FakeChatModel writer = new FakeChatModel("base", 2, healthy);
        SynthReport same = pipeline(dir, cfg, judge, writer).run(healthy.articleList());
        assertEquals(0, same.requestsSent());
        assertEquals(first.articlesRejected(), same.articlesRejected());

        SynthReport retried = pipeline(dir, config(SCRIPT).optRetryRejects(true).build(), judge, writer)
                .run(healthy.articleList());
        // Asked again: the rejected question sets, summaries and judgements, plus the judgements that
        // could not be asked before because their question set or summary had been rejected.
        long newJudgements = 0;
        for (int i = 0; i < 30; i++) {
            for (int k = 0; k < 4; k++) {
                boolean before = SCRIPT.questionFault(i) == SynthScript.Fault.NONE
                        && SCRIPT.summaryFault(i, k) == SynthScript.Fault.NONE;
                newJudgements += before ? 0 : 1;
            }
        }
        assertEquals(first.questionSetsRejected() + first.summariesRejected() + first.judgementsRejected()
                + newJudgements, retried.requestsSent());
        assertEquals(0, retried.articlesRejected());
        assertEquals(0, retried.requestFailures());
        judge.asked.values().forEach(c -> assertEquals(1, c.get()));
        writer.asked.values().forEach(c -> assertEquals(1, c.get()));
    }

    @Test
    void aSecondRunOnTheSameDirectoryIsRefused() {
        Path dir = tmp.resolve("locked");
        SynthScript clean = new SynthScript(2, 5, 4, 1L, false);
        try (DirectoryLock held = DirectoryLock.acquire(createDirs(dir).resolve(".lock"), "synth run")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pipeline(dir, config(clean).build(), new FakeChatModel("judge", 1, clean),
                            new FakeChatModel("base", 1, clean)).run(clean.articleList()));
            assertTrue(e.getMessage().contains("another synth run"), e.getMessage());
        }
    }

    @Test
    void aRerunWithOtherSettingsIsRefused() {
        Path dir = tmp.resolve("settings");
        SynthScript clean = new SynthScript(2, 5, 4, 1L, false);
        pipeline(dir, config(clean).build(), new FakeChatModel("judge", 1, clean), new FakeChatModel("base", 1, clean))
                .run(clean.articleList());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pipeline(dir, config(clean).optThreshold(4).optMaxTokens(100).build(),
                        new FakeChatModel("judge", 1, clean), new FakeChatModel("base", 1, clean))
                        .run(clean.articleList()));
        assertTrue(e.getMessage().contains("threshold: 3 in the directory, 4 now"), e.getMessage());
        assertTrue(e.getMessage().contains("max_tokens"), e.getMessage());
        // The split fraction and the output format may change between runs.
        pipeline(dir, config(clean).optValidFraction(0.5).optChatFormat(true).build(),
                new FakeChatModel("judge", 1, clean), new FakeChatModel("base", 1, clean)).run(clean.articleList());
    }

    /** Keys of every request whose answer or rejection is in the journals. */
    private static Set<String> recordedKeys(Path dir) {
        Set<String> keys = new HashSet<>();
        for (JsonNode l : lines(dir.resolve("questions.jsonl"))) {
            keys.add("Q|" + l.get("article_id").asText());
        }
        for (JsonNode l : linesRepaired(dir.resolve("summaries.jsonl"))) {
            keys.add("S|" + l.get("article_id").asText() + "|" + l.get("k").asInt());
        }
        for (JsonNode l : lines(dir.resolve("judgements.jsonl"))) {
            keys.add("J|" + l.get("article_id").asText() + "|" + l.get("k").asInt());
        }
        for (JsonNode l : lines(dir.resolve("rejects.jsonl"))) {
            String stage = l.get("stage").asText();
            String id = l.get("article_id").asText();
            keys.add(stage.equals("questions") ? "Q|" + id
                    : (stage.equals("summary") ? "S|" : "J|") + id + "|" + l.get("k").asInt());
        }
        return keys;
    }

    /** The complete lines of a file whose last line may be cut short. */
    private static List<JsonNode> linesRepaired(Path file) {
        String text = read(file);
        String complete = text.substring(0, text.lastIndexOf('\n') + 1);
        List<JsonNode> out = new ArrayList<>();
        for (String line : complete.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(SynthTesting.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("bad line " + line, e);
                }
            }
        }
        return out;
    }

    private static Path createDirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
