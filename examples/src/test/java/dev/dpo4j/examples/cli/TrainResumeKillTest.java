package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.PeftAdapters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j train} killed with SIGKILL mid-run (a separate JVM, {@code destroyForcibly}) and then
 * {@code --resume}d ends with the adapter an uninterrupted run writes, and its {@code metrics.jsonl} has
 * exactly one line per step, as if the run had never stopped. AdamW state, the schedule, the data order
 * and the LoRA dropout masks (dropout 0.1) must all come back from the checkpoint and the seed.
 */
class TrainResumeKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 12;

    @TempDir
    Path tmp;

    /** 60 token-id pairs from a fixed seed, ids in [3, 253) of llama-tiny's 256. */
    private Path pairs() throws IOException {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ObjectNode row = JSON.createObjectNode();
            for (String field : new String[] {"prompt_ids", "chosen_ids", "rejected_ids"}) {
                ArrayNode ids = row.putArray(field);
                for (int n = 3 + r.nextInt(8); n > 0; n--) {
                    ids.add(3 + r.nextInt(250));
                }
            }
            lines.add(row.toString());
        }
        return Files.write(tmp.resolve("pairs.jsonl"), lines);
    }

    private static List<String> args(Path data, Path out) {
        return new ArrayList<>(List.of("train", "--model", Fixtures.path("models/llama-tiny").toString(),
                "--data", data.toString(), "--output", out.toString(), "--optimizer", "adamw", "--learning-rate",
                "5e-3", "--lr-scheduler-type", "cosine", "--warmup-steps", "2", "--max-steps", Integer.toString(STEPS),
                "--train-batch-size", "4", "--lora-r", "4", "--lora-alpha", "8", "--lora-dropout", "0.1",
                "--save-steps", "2", "--logging-steps", "1", "--seed", "11"));
    }

    @Test
    void aKilledRunResumesToTheAdapterOfAnUninterruptedOne() throws Exception {
        Path data = pairs();
        Path killed = tmp.resolve("killed");
        Path straight = tmp.resolve("straight");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", Dpo4jCli.class.getName()));
        command.addAll(args(data, killed));
        Path log = tmp.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (latestCheckpoint(killed) < 4) {
                if (!child.isAlive()) {
                    fail("the child ended (exit " + child.exitValue() + ") before checkpoint-4:\n" + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("no checkpoint-4 within 120 s:\n" + Files.readString(log));
                }
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertFalse(Files.exists(killed.resolve(PeftAdapters.WEIGHTS_FILE)),
                "the child finished before it was killed; make the run longer");
        int resumeFrom = latestCheckpoint(killed);
        assertTrue(resumeFrom >= 4 && resumeFrom < STEPS, "latest checkpoint " + resumeFrom);

        List<String> resume = args(data, killed);
        resume.add("--resume");
        CliTest.Run resumed = CliTest.cli(resume.toArray(String[]::new));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resumed from step " + resumeFrom), resumed.out());

        CliTest.Run uninterrupted = CliTest.cli(args(data, straight).toArray(String[]::new));
        assertEquals(0, uninterrupted.status(), uninterrupted.err());

        Map<String, float[]> a = TrainCommandTest.tensors(killed.resolve(PeftAdapters.WEIGHTS_FILE));
        Map<String, float[]> b = TrainCommandTest.tensors(straight.resolve(PeftAdapters.WEIGHTS_FILE));
        assertEquals(b.keySet(), a.keySet());
        for (String name : b.keySet()) {
            assertTrue(TrainCommandTest.maxAbsDiff(a.get(name), b.get(name)) <= 1e-6, name + " differs by "
                    + TrainCommandTest.maxAbsDiff(a.get(name), b.get(name)));
        }

        // One line per step 1..12 in order: the lines the killed child wrote past its checkpoint were dropped.
        List<JsonNode> resumedLog = metrics(killed);
        List<JsonNode> straightLog = metrics(straight);
        assertEquals(STEPS, resumedLog.size(), "lines: " + resumedLog);
        for (int i = 0; i < STEPS; i++) {
            assertEquals(i + 1, resumedLog.get(i).get("step").asInt(), "line " + (i + 1));
            assertEquals(straightLog.get(i).get("loss").asDouble(), resumedLog.get(i).get("loss").asDouble(), 1e-6,
                    "loss at step " + (i + 1));
        }
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** The highest complete {@code checkpoint-N} (its trainer_state.json written), or 0. */
    private static int latestCheckpoint(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(run)) {
            return list.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+"))
                    .filter(p -> Files.exists(p.resolve("trainer_state.json")))
                    .mapToInt(p -> Integer.parseInt(p.getFileName().toString().substring("checkpoint-".length())))
                    .max().orElse(0);
        }
    }
}
