package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume} refuses a checkpoint made with other settings, naming each one, and accepts a
 * change of what cannot shape the result (logging); the precomputed reference lives in the shared cache
 * folder, so resumes and later runs reuse it and one file stays.
 */
class TrainResumeChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path pairs() throws IOException {
        Random r = new Random(9);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ObjectNode row = JSON.createObjectNode();
            for (String field : new String[] {"prompt_ids", "chosen_ids", "rejected_ids"}) {
                ArrayNode ids = row.putArray(field);
                for (int n = 3 + r.nextInt(6); n > 0; n--) {
                    ids.add(3 + r.nextInt(250));
                }
            }
            lines.add(row.toString());
        }
        return Files.write(tmp.resolve("pairs.jsonl"), lines);
    }

    private List<String> args(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--model", Fixtures.path("models/llama-tiny").toString(),
                "--data", data.toString(), "--output", out.toString(), "--cache-dir", tmp.resolve("cache").toString(),
                "--max-steps", "4", "--save-steps", "2", "--train-batch-size", "4", "--learning-rate", "1e-3",
                "--lora-r", "4", "--logging-steps", "1"));
        args.addAll(List.of(more));
        return args;
    }

    /** Runs the CLI in-process; the trainer's notes go to System.err, captured here. */
    private static String[] run(List<String> args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(notes, true, StandardCharsets.UTF_8));
        try {
            CliTest.Run r = CliTest.cli(args.toArray(String[]::new));
            return new String[] {Integer.toString(r.status()), r.err(), notes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(saved);
        }
    }

    private List<Path> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("cache").resolve("ref_logps"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList();
        }
    }

    @Test
    void aResumeWithOtherSettingsIsRefusedNamingEachAndTheReferenceIsReused() throws IOException {
        Path data = pairs();
        Path out = tmp.resolve("run");
        String[] first = run(args(data, out));
        assertEquals("0", first[0], first[1]);
        assertTrue(first[2].contains("reused 0 of 24 pairs"), first[2]);
        assertEquals(1, cacheFiles().size());

        String[] changed = run(args(data, out, "--resume", "--beta", "0.5", "--loss-type", "ipo"));
        assertNotEquals("0", changed[0]);
        assertTrue(changed[1].contains("beta: checkpoint 0.1, this run 0.5"), changed[1]);
        assertTrue(changed[1].contains("loss_type: checkpoint [\"sigmoid\"], this run [\"ipo\"]"), changed[1]);

        // logging, evaluation and checkpoint intervals cannot change the adapter: a resume may change them
        for (int i = 0; i < 2; i++) {
            String[] again = run(args(data, out, "--resume", "--eval-steps", "3"));
            assertEquals("0", again[0], again[1] + again[2]);
            assertTrue(again[2].contains("reused 24 of 24 pairs"), again[2]);
        }
        // a later run on the same model and data, into another folder and with another beta, reuses it too
        String[] other = run(args(data, tmp.resolve("other"), "--beta", "0.3"));
        assertEquals("0", other[0], other[1]);
        assertTrue(other[2].contains("reused 24 of 24 pairs"), other[2]);
        assertEquals(1, cacheFiles().size(), "one reference cache for one model and one dataset");
    }
}
