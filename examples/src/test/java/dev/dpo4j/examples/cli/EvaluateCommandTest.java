package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.examples.loopback.FaultPlan;
import dev.dpo4j.examples.loopback.LoopbackChatServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j evaluate} end to end on the real stories260K model: the base model, the base with
 * an adapter made here, and an endpoint contender served by a loopback server, scored by a loopback
 * judge. The counts in report.json follow from the number of articles and contenders, a rerun asks
 * no server anything, a YAML config with the same keys gives the same report, and message-list
 * prompts reach a chat endpoint as messages.
 */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ARTICLES = 3;
    private static final int QUESTIONS = 3;

    @TempDir
    Path tmp;

    /** The exit status, stdout and stderr of one CLI run. */
    record Result(int code, String out, String err) {
    }

    static Result cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Dpo4jCli.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    static String ok(List<String> args) {
        Result r = cli(args);
        assertEquals(0, r.code(), "dpo4j " + String.join(" ", args) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        return r.out();
    }

    @Test
    void baseAdapterAndEndpointGiveACompleteReportAndARerunAsksNothing() throws Exception {
        Path model = Fixtures.path("real/models/stories260K");
        Path input = cnnRows();
        Path adapter = adapter(model, tmp.resolve("adapter"));
        Path out = tmp.resolve("eval");
        try (LoopbackChatServer judge = new LoopbackChatServer(0, FaultPlan.NONE, 11, 8);
             LoopbackChatServer api = new LoopbackChatServer(0, FaultPlan.NONE, 12, 8)) {
            List<String> args = List.of("evaluate", "--input", input.toString(), "--model", model.toString(),
                    "--adapter", "tuned=" + adapter, "--endpoint", "api=loopback-api@" + api.baseUrl(),
                    "--judge-url", judge.baseUrl(), "--judge-model", "loopback-judge",
                    "--api-key-env", "DPO4J_TEST_UNSET_KEY", "--judge-concurrency", "4",
                    "--pairwise", "tuned:base", "--questions", Integer.toString(QUESTIONS), "--threshold", "2",
                    "--max-new-tokens", "12", "--output", out.toString());
            String stdout = ok(args);

            for (String file : List.of("report.json", "report.md", "report.html")) {
                assertTrue(Files.isRegularFile(out.resolve(file)), file);
            }
            JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
            assertEquals(ARTICLES, report.get("examples").asInt());
            List<String> names = new ArrayList<>();
            for (JsonNode c : report.get("contenders")) {
                names.add(c.get("name").asText());
                assertEquals(ARTICLES, c.get("outputs").asInt(), c.toString());
                assertEquals(0, c.get("failed").asInt(), c.toString());
                assertEquals(ARTICLES, c.at("/qa/judged").asInt(), c.toString());
                assertTrue(c.get("rouge").isObject(), "highlights give ROUGE: " + c);
            }
            assertEquals(List.of("base", "tuned", "api"), names, "base, then adapters, then endpoints");
            // each contender says what it is: the base folder, the base with the adapter, the endpoint
            assertEquals("base " + model, report.at("/contenders/0/model").asText());
            assertEquals("base " + model + " + adapter " + adapter, report.at("/contenders/1/model").asText());
            assertEquals("endpoint loopback-api@" + api.baseUrl(), report.at("/contenders/2/model").asText());
            JsonNode pair = report.get("pairwise").get(0);
            assertEquals("tuned", pair.get("a").asText());
            assertEquals("base", pair.get("b").asText());
            assertEquals(ARTICLES, pair.get("wins").asInt() + pair.get("losses").asInt() + pair.get("ties").asInt());

            // The judge gets one question set per article, one QA judgement per (contender, article)
            // and two pairwise verdicts (both orders) per article: 3 + 3*3 + 2*3 = 18 requests.
            assertEquals(ARTICLES + 3 * ARTICLES + 2 * ARTICLES, judge.requestsReceived());
            // The endpoint contender answers each article once.
            assertEquals(ARTICLES, api.requestsReceived());
            // B != 0 makes the adapter change the model, so its greedy answers differ from base's.
            assertNotEquals(texts(out.resolve("generations/base.jsonl")), texts(out.resolve("generations/tuned.jsonl")));

            assertTrue(stdout.contains("| base |") && stdout.contains("| tuned |") && stdout.contains("| api |"), stdout);
            assertTrue(stdout.contains("## Pairwise judging"), stdout);
            assertTrue(stdout.contains("| tuned | base |"), stdout);
            assertTrue(stdout.strip().endsWith("report: " + out.resolve("report.html").toAbsolutePath()), stdout);

            // A rerun finds every answer in the journals.
            long judged = judge.requestsReceived();
            String again = ok(args);
            assertEquals(judged, judge.requestsReceived(), "a rerun must not ask the judge");
            assertEquals(ARTICLES, api.requestsReceived(), "a rerun must not ask the endpoint");
            assertEquals(report, JSON.readTree(out.resolve("report.json").toFile()));
            assertEquals(stdout, again);

            // The same settings as YAML keys (lists for the repeatable flags), run into the same folder:
            // eval.json accepts them (it refuses other models, judge, generation settings, seed or
            // prompts), every answer comes from the journals, and the report is the same.
            Path yaml = tmp.resolve("evaluate.yaml");
            Files.writeString(yaml, String.join("\n",
                    "input: " + input,
                    "model: " + model,
                    "adapter: [\"tuned=" + adapter + "\"]",
                    "endpoint:",
                    "  - \"api=loopback-api@" + api.baseUrl() + "\"",
                    "judge_url: " + judge.baseUrl(),
                    "judge_model: loopback-judge",
                    "api_key_env: DPO4J_TEST_UNSET_KEY",
                    "judge_concurrency: 4",
                    "pairwise: [\"tuned:base\"]",
                    "questions: " + QUESTIONS,
                    "threshold: 2",
                    "max_new_tokens: 12",
                    "output: " + out,
                    ""));
            assertEquals(stdout, ok(List.of("evaluate", "--config", yaml.toString())));
            assertEquals(judged, judge.requestsReceived(), "the YAML run must not ask the judge");
            assertEquals(ARTICLES, api.requestsReceived(), "the YAML run must not ask the endpoint");
            assertEquals(report, JSON.readTree(out.resolve("report.json").toFile()));

            // A flag on top of the YAML file wins: another seed is another run, which eval.json refuses.
            Result other = cli(List.of("evaluate", "--config", yaml.toString(), "--seed", "7"));
            assertEquals(1, other.code(), other.err());
            assertTrue(other.err().contains("seed"), other.err());
        }
    }

    @Test
    void instructionRowsSendMessageListsAsMessagesAndNeedNoJudgeWithoutPairwise() throws Exception {
        Path model = Fixtures.path("real/models/stories260K");
        String user = "Tell me about the tall lighthouse on the rocky northern coast.";
        Path input = tmp.resolve("prompts.jsonl");
        Files.writeString(input, String.join("\n",
                "{\"id\":\"p1\",\"prompt\":\"Once upon a time there was a little cat.\",\"reference\":\"The cat was happy.\"}",
                "{\"id\":\"p2\",\"prompt\":[{\"role\":\"system\",\"content\":\"You are terse and you answer politely "
                        + "every time.\"},{\"role\":\"user\",\"content\":\"" + user + "\"}],"
                        + "\"reference\":\"A lighthouse stood on the coast.\"}",
                ""));
        Path out = tmp.resolve("eval");
        try (LoopbackChatServer api = new LoopbackChatServer(0, FaultPlan.NONE, 5, 4)) {
            ok(List.of("evaluate", "--task", "instruction", "--input", input.toString(),
                    "--model", model.toString(), "--endpoint", "api=loopback-api@" + api.baseUrl(),
                    "--api-key-env", "DPO4J_TEST_UNSET_KEY", "--max-new-tokens", "16", "--output", out.toString()));
            JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
            assertEquals(2, report.get("examples").asInt());
            for (JsonNode c : report.get("contenders")) {
                assertTrue(c.get("qa").isNull(), "no QA for instructions: " + c);
                assertTrue(c.get("rouge").isObject(), "references give ROUGE: " + c);
            }
            assertEquals(0, report.get("pairwise").size());
            // The loopback endpoint answers with sentences of the last user message. Sent as
            // messages, that message is the user turn alone, whose one sentence is the answer;
            // sent as one rendered text, the answer would draw on "system: ..." / "user: ..." too.
            assertEquals(user, texts(out.resolve("generations/api.jsonl")).get("p2"));
        }
        // An adapter folder that does not exist fails after the base loads, naming flag and contender.
        assertOneLineError(List.of("evaluate", "--task", "instruction", "--input", input.toString(),
                "--model", model.toString(), "--adapter", "tuned=" + tmp.resolve("missing"),
                "--output", tmp.resolve("eval2").toString()), "--adapter: contender 'tuned': cannot read the adapter");
    }

    @Test
    void badFlagsFailWithOneLineNamingTheFlag() throws Exception {
        Path input = cnnRows();
        List<String> base = List.of("evaluate", "--input", input.toString(), "--model", "some/model",
                "--output", tmp.resolve("out").toString(), "--judge-url", "http://127.0.0.1:9/v1",
                "--judge-model", "judge");
        Map<List<String>, String> cases = new HashMap<>();
        cases.put(List.of("--adapter", "x"), "--adapter: expected NAME=DIR, got 'x'");
        cases.put(List.of("--adapter", "tuned=/a", "--pairwise", "tuned:foo"),
                "--pairwise: unknown contender 'foo' (contenders: base, tuned)");
        cases.put(List.of("--pairwise", "base"), "--pairwise: expected A:B");
        cases.put(List.of("--endpoint", "api=gpt-4o"), "--endpoint: expected NAME=MODEL@URL, got 'api=gpt-4o'");
        cases.put(List.of("--merged", "base=/m"), "--merged: contender name 'base' is already taken");
        cases.put(List.of("--merged", "a/b=/m"), "--merged: contender name 'a/b' must match");
        cases.put(List.of("--questions", "2", "--threshold", "3"), "--threshold: must be in 1..--questions (2), got 3");
        cases.put(List.of("--device", "tpu"), "--device: expected cpu, gpu or gpu:N, got 'tpu'");
        cases.put(List.of("--training-metrics", "run1"), "--training-metrics: expected RUN=FILE, got 'run1'");
        for (Map.Entry<List<String>, String> e : cases.entrySet()) {
            List<String> args = new ArrayList<>(base);
            args.addAll(e.getKey());
            assertOneLineError(args, e.getValue());
        }
        assertOneLineError(List.of("evaluate", "--input", input.toString(), "--model", "m", "--output", "o"),
                "--judge-url and --judge-model: both required for --task summarization");
        assertOneLineError(List.of("evaluate", "--input", input.toString(), "--no-base", "--output", "o",
                "--judge-url", "http://127.0.0.1:9/v1", "--judge-model", "judge"), "no contenders");
        assertOneLineError(List.of("evaluate", "--input", input.toString(), "--model", "m", "--judge-url",
                "http://127.0.0.1:9/v1", "--judge-model", "judge"), "--output: required");
        Path noBase = tmp.resolve("no-base.yaml");
        Files.writeString(noBase, "no_base: true\nmodel: m\noutput: o\njudge_url: http://127.0.0.1:9/v1\njudge_model: j\n");
        assertOneLineError(List.of("evaluate", "--input", input.toString(), "--config", noBase.toString()),
                "no contenders");
        Path yaml = tmp.resolve("bad.yaml");
        Files.writeString(yaml, "model: m\nmax_tokens: 5\n");
        assertOneLineError(List.of("evaluate", "--config", yaml.toString()), "unknown key 'max_tokens'");
    }

    private static void assertOneLineError(List<String> args, String expected) {
        Result r = cli(args);
        assertEquals(1, r.code(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals("", r.out());
    }

    /** A CNN/DailyMail-style file of three short articles with highlights. */
    private Path cnnRows() throws IOException {
        Path file = tmp.resolve("cnn.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"id\":\"a1\",\"article\":\"Lily found a red ball in the park. She played with it all day. "
                        + "Her mom called her home for dinner.\",\"highlights\":\"Lily played with a red ball.\"}",
                "{\"id\":\"a2\",\"article\":\"Tom had a big dog named Max. Max liked to run by the river. "
                        + "One day Max found a stick and brought it to Tom.\",\"highlights\":\"Max brought Tom a stick.\"}",
                "{\"id\":\"a3\",\"article\":\"The sun was hot and the birds sang. A little girl sat under a tree. "
                        + "She ate an apple and smiled.\",\"highlights\":\"A girl ate an apple under a tree.\"}",
                ""));
        return file;
    }

    /**
     * An adapter over every projection of the model with B filled with non-zero values. PEFT
     * initialises B to zero, which leaves the model unchanged; a non-zero B adds (alpha / r) * B A to
     * each weight, so the adapted model's greedy outputs differ from the base model's.
     */
    private static Path adapter(Path model, Path dir) throws IOException {
        try (CausalLm lm = CausalLm.load(model.toString());
             LoraModel lora = LoraModel.create(lm.model(), LoraConfig.of(4, 8), 3)) {
            Map<String, float[]> weights = lora.snapshot();
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                if (e.getKey().endsWith("lora_B.weight")) {
                    float[] b = e.getValue();
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (float) (0.5 * Math.sin(i + 1));
                    }
                }
            }
            lora.load(weights);
            PeftAdapters.save(lora, dir, model.toString());
        }
        return dir;
    }

    /** The output texts of a generations journal, by item id. */
    private static Map<String, String> texts(Path journal) throws IOException {
        Map<String, String> texts = new HashMap<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode row = JSON.readTree(line);
            texts.put(row.get("item_id").asText(), row.get("text").asText());
        }
        return texts;
    }
}
