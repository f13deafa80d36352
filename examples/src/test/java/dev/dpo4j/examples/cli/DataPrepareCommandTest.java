package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dpo4j data prepare} on the real hh-rlhf and CNN/DailyMail samples. */
class DataPrepareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static int run(StringWriter out, StringWriter err, String... args) {
        return Dpo4jCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void hhRlhfIsDetectedSplitAndWrittenInTrlFormat() throws Exception {
        Path hh = Fixtures.path("real/datasets/hh-rlhf/harmless-base-test.jsonl.gz");
        Path out = tmp.resolve("hh");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = run(stdout, stderr, "data", "prepare", "--input", hh.toString(), "--output", out.toString(),
                "--valid-fraction", "0.1", "--seed", "3");
        assertEquals(0, code, stderr.toString());

        JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
        // 2312 rows in the file (SOURCES.md); 4 have an empty chosen answer after the shared prompt
        // (lines 87, 517, 926, 1104, counted separately with Python's json module).
        assertEquals(2312, stats.get("rows_read").asLong());
        assertEquals(4, stats.at("/dropped/empty").asLong());
        assertEquals(2308, stats.get("kept").asLong());
        assertEquals("hh-rlhf", stats.get("formats").elements().next().asText());
        List<String> train = Files.readAllLines(out.resolve("train.jsonl"));
        List<String> valid = Files.readAllLines(out.resolve("valid.jsonl"));
        assertEquals(2308, train.size() + valid.size());
        assertEquals(stats.get("valid").asLong(), valid.size());
        // a seeded split of 10%: 231 expected, binomial sd sqrt(2308 * 0.1 * 0.9) = 14.4
        assertTrue(Math.abs(valid.size() - 230.8) < 4 * 14.4, "valid rows " + valid.size());
        for (String line : train.subList(0, 50)) {
            JsonNode row = JSON.readTree(line);
            assertTrue(row.get("prompt").asText().endsWith("\n\nAssistant:"), line);
            assertTrue(row.get("prompt").asText().startsWith("\n\nHuman:"), line);
        }
        assertTrue(stdout.toString().contains("dropped empty"), stdout.toString());
    }

    @Test
    void aNonPreferenceSetFailsNamingItsColumnsAndAWrongFormatFailsNamingTheField() {
        Path cnn = Fixtures.path("real/datasets/cnn_dailymail/cnn_dailymail_3.0.0_test_first100.json");
        StringWriter err = new StringWriter();
        int code = run(new StringWriter(), err, "data", "prepare", "--input", cnn.toString(), "--output",
                tmp.resolve("cnn").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("cnn_dailymail_3.0.0_test_first100.json:2:"), err.toString());
        assertTrue(err.toString().contains("[id, article, highlights]"), err.toString());

        Path uf = Fixtures.path("real/datasets/ultrafeedback/ultrafeedback_sample_1k.jsonl");
        StringWriter out = new StringWriter();
        err = new StringWriter();
        code = run(out, err, "data", "prepare", "--input", uf.toString(), "--format", "stack-exchange-paired",
                "--output", tmp.resolve("uf").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("no row was kept out of 1000"), err.toString());
        assertTrue(out.toString().contains("ultrafeedback_sample_1k.jsonl:1: field 'question' is missing"), out.toString());
    }
}
