package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI forms the outside checks call, run in-process: {@code logprobs} and {@code generate} on the
 * fixture checkpoints against their golden values, the real stories260K model through its tokenizer,
 * and clear errors for bad input.
 */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Exit status and captured streams of one CLI run. */
    record Run(int status, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Dpo4jCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path jsonl(String name, String... lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, Arrays.asList(lines));
        return p;
    }

    private static List<JsonNode> rows(Path p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static String ids(JsonNode array, int from, int to) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            sb.append(i == from ? "" : ",").append(array.get(i).asLong());
        }
        return sb.append("]").toString();
    }

    /**
     * Every golden checkpoint: the first four families (goldens from an independent re-implementation) and
     * the ones whose goldens transformers 5.17 computed itself (models-hf).
     */
    static final String[] GOLDEN_MODELS = {"models/llama-tiny", "models/qwen2-tiny", "models/gemma-tiny",
        "models-hf/qwen3-tiny", "models-hf/qwen3-yarn", "models-hf/gemma2-tiny", "models-hf/gemma3-tiny",
        "models-hf/phi3-tiny", "models-hf/phi3-longrope", "models-hf/mistral-window"};

    static String[] goldenModels() {
        return GOLDEN_MODELS;
    }

    @ParameterizedTest
    @MethodSource("goldenModels")
    void logprobsMatchGoldenTokenLogprobs(String name) throws IOException {
        Path model = Fixtures.path(name);
        JsonNode expected = Fixtures.json(name + "/expected.json");
        List<String> lines = new ArrayList<>();
        for (JsonNode row : expected.get("input_ids")) {
            lines.add("{\"prompt_ids\":" + ids(row, 0, 1) + ",\"completion_ids\":" + ids(row, 1, row.size()) + "}");
        }
        Path in = jsonl("in.jsonl", lines.toArray(String[]::new));
        Path out = tmp.resolve("out.jsonl");
        Run r = cli("logprobs", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        List<JsonNode> got = rows(out);
        assertEquals(lines.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            JsonNode want = expected.get("token_logprobs").get(i);
            JsonNode tokens = got.get(i).get("token_logprobs");
            assertEquals(want.size(), tokens.size());
            for (int t = 0; t < want.size(); t++) {
                assertEquals(want.get(t).asDouble(), tokens.get(t).asDouble(), 1e-4);
            }
            assertEquals(expected.get("sum_logprob").get(i).asDouble(), got.get(i).get("logprob").asDouble(), 1e-3);
        }
    }

    @ParameterizedTest
    @MethodSource("goldenModels")
    void greedyGenerateMatchesGoldenContinuation(String name) throws IOException {
        Path model = Fixtures.path(name);
        JsonNode expected = Fixtures.json(name + "/expected.json");
        JsonNode prompt = expected.get("greedy_prompt");
        JsonNode full = expected.get("greedy_output");
        Path in = jsonl("in.jsonl", "{\"prompt_ids\":" + ids(prompt, 0, prompt.size()) + "}");
        Path out = tmp.resolve("out.jsonl");
        Run r = cli("generate", "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
                "--max-new-tokens", expected.get("greedy_new_tokens").asText(), "--temperature", "0");
        assertEquals(0, r.status(), r.err());
        JsonNode row = rows(out).get(0);
        assertEquals(ids(full, prompt.size(), full.size()), row.get("completion_ids").toString());
    }

    @Test
    void stories260kGreedyFromBosPrintsThePublishedStory() throws IOException {
        Path model = Fixtures.path("real/models/stories260K");
        JsonNode expected = Fixtures.json("real/models/stories260K/expected.json");
        Path in = jsonl("in.jsonl", "{\"prompt\":\"\"}");
        Path out = tmp.resolve("out.jsonl");
        Run r = cli("generate", "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
                "--max-new-tokens", "120", "--temperature", "0");
        assertEquals(0, r.status(), r.err());
        JsonNode row = rows(out).get(0);
        JsonNode full = expected.get("greedy_output"); // starts with BOS (1)
        assertEquals(ids(full, 1, full.size()), row.get("completion_ids").toString());
        // The story published with the model (fixtures README).
        String story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park."
                + " One day, she saw a big, red ball. She wanted to play with it, but it was too high.\n"
                + "Lily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know what to do.";
        assertTrue(row.get("completion").asText().startsWith(story), row.get("completion").asText());
        assertEquals("length", row.get("finish_reason").asText());
    }

    @Test
    void textLogprobsEqualTheTokenIdForm() throws IOException {
        Path model = Fixtures.path("real/models/stories260K");
        Path text = jsonl("text.jsonl", "{\"prompt\":\"Once upon a time\",\"completion\":\" there was a girl\"}");
        Path out = tmp.resolve("out.jsonl");
        assertEquals(0, cli("logprobs", "--model", model.toString(), "--input", text.toString(),
                "--output", out.toString()).status());
        JsonNode textRow = rows(out).get(0);
        // Same row as ids: the tokenizer gives BOS + prompt, and the completion without BOS.
        try (dev.dpo4j.core.tokenizer.Tokenizer tok = dev.dpo4j.core.tokenizer.Tokenizer.load(model)) {
            long[] p = tok.encode("Once upon a time", true);
            long[] c = tok.encode(" there was a girl", false);
            assertEquals(1L, p[0]);
            Path idsIn = jsonl("ids.jsonl", "{\"prompt_ids\":" + Arrays.toString(p).replace(" ", "")
                    + ",\"completion_ids\":" + Arrays.toString(c).replace(" ", "") + "}");
            Path idsOut = tmp.resolve("ids-out.jsonl");
            assertEquals(0, cli("logprobs", "--model", model.toString(), "--input", idsIn.toString(),
                    "--output", idsOut.toString()).status());
            assertEquals(rows(idsOut).get(0).get("token_logprobs"), textRow.get("token_logprobs"));
            assertEquals(c.length, textRow.get("num_tokens").asInt());
        }
    }

    @Test
    void malformedJsonlNamesFileAndLine() throws IOException {
        Path in = jsonl("bad.jsonl", "{\"prompt_ids\":[1,2],\"completion_ids\":[3]}", "{\"prompt_ids\":[1,2", "");
        Run r = cli("logprobs", "--model", Fixtures.path("models/llama-tiny").toString(), "--input", in.toString(),
                "--output", tmp.resolve("o.jsonl").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("bad.jsonl:2:"), r.err());
    }

    @Test
    void idsOutsideTheVocabularyNameLineFieldAndId() throws IOException {
        Path in = jsonl("oov.jsonl", "{\"prompt_ids\":[1]}", "{\"prompt_ids\":[1, 256, 3]}");
        Run r = cli("generate", "--model", Fixtures.path("models/llama-tiny").toString(), "--input", in.toString(),
                "--output", tmp.resolve("o.jsonl").toString(), "--max-new-tokens", "2");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("oov.jsonl:2:") && r.err().contains("256") && r.err().contains("prompt_ids"), r.err());
        Path in2 = jsonl("oov2.jsonl", "{\"prompt_ids\":[1],\"completion_ids\":[-4]}");
        Run r2 = cli("logprobs", "--model", Fixtures.path("models/llama-tiny").toString(), "--input", in2.toString(),
                "--output", tmp.resolve("o2.jsonl").toString());
        assertEquals(1, r2.status());
        assertTrue(r2.err().contains("oov2.jsonl:1:") && r2.err().contains("completion_ids"), r2.err());
    }

    @Test
    void textRowsWithoutATokenizerAndMissingFieldsAreClear() throws IOException {
        Path in = jsonl("t.jsonl", "{\"prompt\":\"hello\"}");
        Run r = cli("generate", "--model", Fixtures.path("models/llama-tiny").toString(), "--input", in.toString(),
                "--output", tmp.resolve("o.jsonl").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("t.jsonl:1:") && r.err().contains("tokenizer"), r.err());
        Path in2 = jsonl("t2.jsonl", "{\"text\":\"hello\"}");
        Run r2 = cli("generate", "--model", Fixtures.path("models/llama-tiny").toString(), "--input", in2.toString(),
                "--output", tmp.resolve("o.jsonl").toString());
        assertTrue(r2.err().contains("t2.jsonl:1:") && r2.err().contains("prompt_ids"), r2.err());
    }

    @Test
    void yamlConfigSetsDefaultsAndUnknownKeysFail() throws IOException {
        Path model = Fixtures.path("models/llama-tiny");
        Path in = jsonl("in.jsonl", "{\"prompt_ids\":[1,2,3]}");
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, "max_new_tokens: 3  # short\nignore_eos: true\n");
        Path out = tmp.resolve("out.jsonl");
        Run r = cli("generate", "--config", cfg.toString(), "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(3, rows(out).get(0).get("completion_ids").size());
        Files.writeString(cfg, "max_new_tokes: 3\n");
        Run bad = cli("generate", "--config", cfg.toString(), "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("max_new_tokes"), bad.err());
    }

    @Test
    void resumeKeepsFinishedRowsAndCompletesTheRest() throws IOException {
        Path model = Fixtures.path("models/llama-tiny");
        Path in = jsonl("in.jsonl", "{\"prompt_ids\":[1,2]}", "{\"prompt_ids\":[3,4]}", "{\"prompt_ids\":[5]}");
        Path full = tmp.resolve("full.jsonl");
        assertEquals(0, cli("generate", "--model", model.toString(), "--input", in.toString(), "--output",
                full.toString(), "--max-new-tokens", "4", "--batch-size", "1").status());
        // A crashed run that wrote only the first row: resuming writes rows 2 and 3 only.
        Path partial = tmp.resolve("partial.jsonl");
        Files.writeString(partial, Files.readAllLines(full).get(0) + "\n");
        assertEquals(0, cli("generate", "--model", model.toString(), "--input", in.toString(), "--output",
                partial.toString(), "--max-new-tokens", "4", "--batch-size", "1", "--resume").status());
        assertEquals(Files.readAllLines(full), Files.readAllLines(partial));
    }

    @Test
    void tokenIdRowsRunToMaxNewTokensUnlessEosStopIsAsked() throws IOException {
        // A copy of llama-tiny whose eos_token_id is the 3rd token of the greedy continuation.
        JsonNode expected = Fixtures.json("models/llama-tiny/expected.json");
        JsonNode full = expected.get("greedy_output");
        int promptLen = expected.get("greedy_prompt").size();
        long eos = full.get(promptLen + 2).asLong();
        Path model = Files.createDirectories(tmp.resolve("eos-model"));
        Files.copy(Fixtures.path("models/llama-tiny/model.safetensors"), model.resolve("model.safetensors"));
        String config = Files.readString(Fixtures.path("models/llama-tiny/config.json"))
                .replaceAll("\"eos_token_id\":\\s*\\d+", "\"eos_token_id\": " + eos);
        Files.writeString(model.resolve("config.json"), config);
        Path in = jsonl("in.jsonl", "{\"prompt_ids\":" + ids(expected.get("greedy_prompt"), 0, promptLen) + "}");
        Path auto = tmp.resolve("auto.jsonl");
        assertEquals(0, cli("generate", "--model", model.toString(), "--input", in.toString(), "--output",
                auto.toString(), "--max-new-tokens", "16", "--temperature", "0").status());
        assertEquals(ids(full, promptLen, full.size()), rows(auto).get(0).get("completion_ids").toString());
        Path stop = tmp.resolve("stop.jsonl");
        assertEquals(0, cli("generate", "--model", model.toString(), "--input", in.toString(), "--output",
                stop.toString(), "--max-new-tokens", "16", "--eos", "stop").status());
        int firstEos = promptLen;
        while (full.get(firstEos).asLong() != eos) {
            firstEos++;
        }
        assertEquals(ids(full, promptLen, firstEos + 1), rows(stop).get(0).get("completion_ids").toString());
    }

    @Test
    void badCheckpointsFailWithTheFileNamed() throws IOException {
        Path in = jsonl("in.jsonl", "{\"prompt_ids\":[1,2]}");
        Path model = Files.createDirectories(tmp.resolve("truncated"));
        Files.copy(Fixtures.path("models/llama-tiny/config.json"), model.resolve("config.json"));
        byte[] weights = Files.readAllBytes(Fixtures.path("models/llama-tiny/model.safetensors"));
        Files.write(model.resolve("model.safetensors"), Arrays.copyOf(weights, weights.length / 2));
        Run r = cli("generate", "--model", model.toString(), "--input", in.toString(), "--output",
                tmp.resolve("o.jsonl").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(model.resolve("model.safetensors").toString()), r.err());

        Path missing = tmp.resolve("no-such-model");
        Run r2 = cli("generate", "--model", missing.toString(), "--input", in.toString(), "--output",
                tmp.resolve("o.jsonl").toString());
        assertEquals(1, r2.status());
        assertTrue(r2.err().contains("no-such-model"), r2.err());
    }

    @Test
    void helpDescribesTheRowFormats() {
        Run g = cli("generate", "--help");
        assertEquals(0, g.status());
        assertTrue(g.out().contains("--max-new-tokens") && g.out().contains("prompt_ids"), g.out());
        Run l = cli("logprobs", "--help");
        assertEquals(0, l.status());
        assertTrue(l.out().contains("token_logprobs"), l.out());
        Run top = cli("--help");
        assertTrue(top.out().contains("generate") && top.out().contains("logprobs"), top.out());
    }

    @Test
    void idOutputHasOnlyTheDocumentedField() throws IOException {
        Path in = jsonl("in.jsonl", "{\"prompt_ids\":[7,8,9]}");
        Path out = tmp.resolve("out.jsonl");
        assertEquals(0, cli("generate", "--model", Fixtures.path("models/llama-tiny").toString(), "--input",
                in.toString(), "--output", out.toString(), "--max-new-tokens", "5", "--ignore-eos").status());
        JsonNode row = rows(out).get(0);
        assertEquals(List.of("completion_ids"), iterableToList(row.fieldNames()));
        assertArrayEquals(new int[] {5}, new int[] {row.get("completion_ids").size()});
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
