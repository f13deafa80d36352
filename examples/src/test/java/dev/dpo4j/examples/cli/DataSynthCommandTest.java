package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.examples.loopback.FaultPlan;
import dev.dpo4j.examples.loopback.LoopbackChatServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j data synth} end to end on the real CNN/DailyMail sample: the local stories260K model
 * (through {@code LocalChatModel}) writes the candidate summaries and a loopback judge that injects
 * faults writes questions and verdicts. The counts must add up, every output row must be a valid
 * pair, and a rerun must ask the judge nothing and leave the outputs byte-identical.
 */
class DataSynthCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ARTICLES = 6;
    private static final int CANDIDATES = 4;

    @TempDir
    Path tmp;

    static String run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Dpo4jCli.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, code, "dpo4j " + String.join(" ", args) + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return out.toString();
    }

    @Test
    void localWriterAndLoopbackJudgeGiveCompleteRowsAndARerunAsksNothing() throws Exception {
        Path cnn = Fixtures.path("real/datasets/cnn_dailymail/cnn_dailymail_3.0.0_test_first100.json");
        Path model = Fixtures.path("real/models/stories260K");
        Path out = tmp.resolve("run");
        try (LoopbackChatServer judge = new LoopbackChatServer(0, FaultPlan.uniform(0.03, 0), 7, 16)) {
            List<String> args = new ArrayList<>(List.of("data", "synth", "--input", cnn.toString(),
                    "--limit", Integer.toString(ARTICLES), "--output", out.toString(),
                    "--writer-model", model.toString(), "--max-tokens", "48",
                    "--candidates", Integer.toString(CANDIDATES), "--valid-fraction", "0.34", "--threshold", "1",
                    "--judge-url", judge.baseUrl(), "--judge-model", "loopback-judge",
                    "--api-key-env", "DPO4J_TEST_UNSET_KEY", "--judge-concurrency", "8"));
            String stdout = run(args);
            assertTrue(stdout.contains("articles"), stdout);

            JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
            long in = report.get("articles_in").asLong();
            assertEquals(ARTICLES, in);
            assertEquals(in, report.get("articles_with_pairs").asLong() + report.get("articles_without_pairs").asLong()
                    + report.get("articles_rejected").asLong());
            // A fault-injected request is retried up to 6 times; 18% faults per attempt make a
            // request fail for good with probability 0.18^6 ≈ 3e-5, so every request is answered.
            assertEquals(0, report.get("articles_rejected").asLong(), report.toString());
            assertEquals(0, judge.answeredMoreThanOnce());
            // one question set per article + one verdict per (article, summary)
            assertEquals(ARTICLES + ARTICLES * CANDIDATES, judge.distinctAnswered());

            List<String> summaries = Files.readAllLines(out.resolve("summaries.jsonl"));
            assertEquals(ARTICLES * CANDIDATES, summaries.size());
            for (String line : summaries) {
                assertEquals(model.toString(), JSON.readTree(line).get("model").asText());
            }

            List<String> rows = new ArrayList<>(Files.readAllLines(out.resolve("train.jsonl")));
            rows.addAll(Files.readAllLines(out.resolve("valid.jsonl")));
            assertEquals(report.get("pairs_train").asLong() + report.get("pairs_valid").asLong(), rows.size());
            // The loopback judge answers at random among A-D and X, so a summary scores 0 of 5 with
            // probability 0.8^5 = 0.33; with threshold 1 an article of 4 summaries has a pair with
            // probability 1 - 0.67^4 - 0.33^4 = 0.79 (the fault seed fixes the draws: 5 of 6 here).
            assertTrue(report.get("articles_with_pairs").asLong() > 0, "random verdicts must give some pairs: " + report);
            Set<String> unique = new HashSet<>(rows);
            assertEquals(rows.size(), unique.size(), "duplicate output rows");
            JsonNode articles = JSON.readTree(cnn.toFile());
            for (String line : rows) {
                JsonNode row = JSON.readTree(line);
                String prompt = row.get("prompt").asText();
                String article = findArticle(articles, row.at("/metadata/article_id").asText());
                assertTrue(prompt.contains(article), "the prompt holds the article");
                assertTrue(!row.get("chosen").asText().equals(row.get("rejected").asText()));
                JsonNode meta = row.get("metadata");
                assertTrue(meta.get("chosen_score").asInt() >= 1, line);
                assertEquals(0, meta.get("rejected_score").asInt(), line);
            }

            byte[] train = Files.readAllBytes(out.resolve("train.jsonl"));
            byte[] valid = Files.readAllBytes(out.resolve("valid.jsonl"));
            long received = judge.requestsReceived();
            run(args);
            assertEquals(received, judge.requestsReceived(), "a rerun must not ask the judge again");
            assertEquals(new String(train), Files.readString(out.resolve("train.jsonl")));
            assertEquals(new String(valid), Files.readString(out.resolve("valid.jsonl")));
        }
    }

    private static String findArticle(JsonNode articles, String id) {
        for (JsonNode a : articles) {
            if (a.get("id").asText().equals(id)) {
                return a.get("article").asText();
            }
        }
        throw new AssertionError("no article with id " + id);
    }
}
