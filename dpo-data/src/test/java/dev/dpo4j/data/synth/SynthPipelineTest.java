package dev.dpo4j.data.synth;

import static dev.dpo4j.data.synth.SynthTesting.config;
import static dev.dpo4j.data.synth.SynthTesting.lines;
import static dev.dpo4j.data.synth.SynthTesting.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.chat.ChatRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole runs of {@link SynthPipeline} against scripted fakes; expectations come from the script. */
class SynthPipelineTest {

    private static final SynthScript SCRIPT = new SynthScript(40, 5, 4, 7L, true);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"threshold", "best-vs-worst", "all-pairs"})
    void countsAddUpExactlyForEveryPolicy(String policy) throws IOException {
        FakeChatModel judge = new FakeChatModel("judge", 3, SCRIPT);
        FakeChatModel writer = new FakeChatModel("base", 2, SCRIPT);
        SynthReport report = pipeline(dir, config(SCRIPT).optPolicy(PairPolicy.parse(policy)).build(), judge, writer)
                .run(SCRIPT.articleList());

        // Expected counts from the script alone (see SynthScript): per article, rejected when its
        // question set fails or nothing is judged; otherwise pairs per the policy's rule.
        long rejected = 0;
        long with = 0;
        long pairs = 0;
        long questionRejects = 0;
        long summaryRejects = 0;
        long judgeRejects = 0;
        long judgeRequests = 0;
        for (int i = 0; i < SCRIPT.articles; i++) {
            questionRejects += SCRIPT.questionFault(i) != SynthScript.Fault.NONE ? 1 : 0;
            for (int k = 0; k < SCRIPT.k; k++) {
                summaryRejects += SCRIPT.summaryFault(i, k) != SynthScript.Fault.NONE ? 1 : 0;
                boolean judgeAsked = SCRIPT.questionFault(i) == SynthScript.Fault.NONE
                        && SCRIPT.summaryFault(i, k) == SynthScript.Fault.NONE;
                judgeRejects += judgeAsked && SCRIPT.judgeFault(i, k) != SynthScript.Fault.NONE ? 1 : 0;
            }
            judgeRequests += SCRIPT.judgeRequests(i);
            int p = SCRIPT.expectedPairs(i, policy, 3);
            rejected += SCRIPT.rejected(i) ? 1 : 0;
            with += !SCRIPT.rejected(i) && p > 0 ? 1 : 0;
            pairs += SCRIPT.rejected(i) ? 0 : p;
        }
        assertTrue(rejected > 2 && with > 5 && questionRejects == 7, "the script exercises every outcome");
        assertEquals(40, report.articlesIn());
        assertEquals(rejected, report.articlesRejected());
        assertEquals(with, report.articlesWithPairs());
        assertEquals(40 - rejected - with, report.articlesWithoutPairs());
        assertEquals(report.articlesIn(),
                report.articlesWithPairs() + report.articlesWithoutPairs() + report.articlesRejected());
        assertEquals(questionRejects, report.questionSetsRejected());
        assertEquals(summaryRejects, report.summariesRejected());
        assertEquals(judgeRejects, report.judgementsRejected());
        assertEquals(pairs, report.pairsTrain() + report.pairsValid());
        assertEquals(40 + 40 * 4 + judgeRequests, report.requestsSent());
        assertEquals(questionRejects + summaryRejects + judgeRejects, report.requestFailures());
        assertEquals(0, report.requestsReused());

        List<JsonNode> train = lines(dir.resolve("train.jsonl"));
        List<JsonNode> valid = lines(dir.resolve("valid.jsonl"));
        assertEquals(report.pairsTrain(), train.size());
        assertEquals(report.pairsValid(), valid.size());
        Set<String> trainIds = new HashSet<>();
        Set<String> validIds = new HashSet<>();
        train.forEach(r -> trainIds.add(r.get("metadata").get("article_id").asText()));
        valid.forEach(r -> validIds.add(r.get("metadata").get("article_id").asText()));
        assertTrue(trainIds.stream().noneMatch(validIds::contains), "an article is in one split only");
        List<JsonNode> all = new ArrayList<>(train);
        all.addAll(valid);
        Set<String> unique = new HashSet<>();
        for (JsonNode row : all) {
            assertTrue(unique.add(row.toString()), "rows are unique");
            JsonNode meta = row.get("metadata");
            int i = SynthScript.number(meta.get("article_id").asText());
            int ck = meta.get("chosen_k").asInt();
            int rk = meta.get("rejected_k").asInt();
            assertEquals(SCRIPT.score(i, ck), meta.get("chosen_score").asInt());
            assertEquals(SCRIPT.score(i, rk), meta.get("rejected_score").asInt());
            assertTrue(meta.get("chosen_score").asInt() >= 3 && meta.get("rejected_score").asInt() < 3);
            assertEquals(SCRIPT.summaryText(i, ck), row.get("chosen").asText());
            assertEquals(SCRIPT.summaryText(i, rk), row.get("rejected").asText());
            assertTrue(row.get("prompt").asText().startsWith("Summarize the following news article"));
            assertTrue(row.get("prompt").asText().contains("SECRET-BODY-" + SynthScript.id(i)));
            assertEquals(policy, meta.get("policy").asText());
        }
        // Sorted by article id, then pair index.
        for (List<JsonNode> split : List.of(train, valid)) {
            for (int r = 1; r < split.size(); r++) {
                JsonNode a = split.get(r - 1).get("metadata");
                JsonNode b = split.get(r).get("metadata");
                int cmp = a.get("article_id").asText().compareTo(b.get("article_id").asText());
                assertTrue(cmp < 0 || (cmp == 0 && a.get("pair_index").asInt() < b.get("pair_index").asInt()));
            }
        }
        assertEquals(40, lines(dir.resolve("articles.jsonl")).size());
        assertEquals(SynthTesting.MAPPER.readTree(report.toJson().toString()), readJson(dir.resolve("report.json")));
    }

    @Test
    void rejectsFileNamesStageKindAndReason() {
        FakeChatModel judge = new FakeChatModel("judge", 3, SCRIPT);
        FakeChatModel writer = new FakeChatModel("base", 2, SCRIPT);
        pipeline(dir, config(SCRIPT).build(), judge, writer).run(SCRIPT.articleList());
        List<JsonNode> rejects = lines(dir.resolve("rejects.jsonl"));
        JsonNode http = find(rejects, "questions", "a05", -1);
        assertEquals("HTTP_STATUS", http.get("kind").asText());
        assertEquals(4, http.get("attempts").asInt());
        JsonNode garbage = find(rejects, "questions", "a09", -1);
        assertEquals("UNPARSEABLE_OUTPUT", garbage.get("kind").asText());
        assertTrue(garbage.get("reason").asText().contains("no JSON object"), garbage.toString());
        JsonNode shortSet = find(rejects, "questions", "a24", -1);
        assertTrue(shortSet.get("reason").asText().contains("expected 5 questions, got 4"), shortSet.toString());
        JsonNode timeout = find(rejects, "summary", "a30", 0);
        assertEquals("TIMEOUT", timeout.get("kind").asText());
        // (i + 2k) % 17 == 4 with i = 0, k = 2: article a00's third judgement answers one letter.
        JsonNode judged = find(rejects, "judgement", "a00", 2);
        assertTrue(judged.get("reason").asText().contains("expected 'answers' with 5"), judged.toString());
        JsonNode a30 = lines(dir.resolve("articles.jsonl")).stream()
                .filter(a -> a.get("article_id").asText().equals("a30")).findFirst().orElseThrow();
        assertEquals("rejected", a30.get("status").asText());
        assertTrue(a30.get("reason").asText().startsWith("no summary could be judged"));
    }

    @Test
    void structuredRequestsCarryStrictSchemasTheAnswersConformTo() {
        FakeChatModel judge = new FakeChatModel("judge", 3, SCRIPT);
        FakeChatModel writer = new FakeChatModel("base", 2, SCRIPT);
        pipeline(dir, config(SCRIPT).build(), judge, writer).run(SCRIPT.articleList());
        for (ChatRequest r : judge.requests) {
            assertTrue(r.responseFormat() != null && r.responseFormat().strict(), "every judge request is json_schema");
            assertEquals(List.of(), SchemaCheck.strictProblems(r.responseFormat().schema()));
            String prompt = r.messages().get(0).content();
            if (r.responseFormat().name().equals("qa_answers")) {
                assertFalse(prompt.contains("SECRET-BODY"), "the judge sees the summary only, not the article");
                assertFalse(prompt.contains("\"answer\""), "the answer key is not shown");
            }
            JsonNode array = r.responseFormat().schema().get("properties").elements().next();
            assertEquals(5, array.get("minItems").asInt());
            assertEquals(5, array.get("maxItems").asInt());
        }
        assertTrue(judge.structured.size() > 40);
        for (FakeChatModel.Structured s : judge.structured) {
            assertEquals(List.of(), SchemaCheck.validate(s.schema(), s.answer()), s.answer().toString());
        }
        Set<Long> seeds = new HashSet<>();
        for (ChatRequest r : writer.requests) {
            assertNull(r.responseFormat(), "summaries are free text");
            assertEquals(1.0, r.temperature());
            assertEquals(256, r.maxTokens());
            seeds.add(r.seed());
        }
        assertEquals(40 * 4, seeds.size(), "every (article, k) has its own seed");
    }

    @Test
    void identicalSummaryTextsNeverPair() {
        FakeChatModel judge = new FakeChatModel("judge", 3, SCRIPT);
        FakeChatModel writer = new FakeChatModel("base", 2, SCRIPT);
        pipeline(dir, config(SCRIPT).optPolicy(PairPolicy.ALL_PAIRS).build(), judge, writer)
                .run(SCRIPT.articleList());
        // Article a07: scores 3, 5, 1, 3 (good and bad) but one text for all four summaries.
        JsonNode a07 = lines(dir.resolve("articles.jsonl")).stream()
                .filter(a -> a.get("article_id").asText().equals("a07")).findFirst().orElseThrow();
        assertEquals("no_pairs", a07.get("status").asText());
        assertEquals(1, a07.get("summaries").get(2).get("score").asInt());
        assertEquals(5, a07.get("summaries").get(1).get("score").asInt());
    }

    @Test
    void chatFormatWritesMessageLists() {
        SynthScript clean = new SynthScript(12, 5, 4, 3L, false);
        pipeline(dir, config(clean).optChatFormat(true).optValidFraction(0).build(),
                new FakeChatModel("judge", 2, clean), new FakeChatModel("base", 2, clean)).run(clean.articleList());
        List<JsonNode> train = lines(dir.resolve("train.jsonl"));
        assertFalse(train.isEmpty());
        assertEquals(List.of(), lines(dir.resolve("valid.jsonl")));
        for (JsonNode row : train) {
            assertEquals("user", row.get("prompt").get(0).get("role").asText());
            assertEquals(1, row.get("prompt").size());
            assertTrue(row.get("prompt").get(0).get("content").asText().contains("SECRET-BODY"));
            assertEquals("assistant", row.get("chosen").get(0).get("role").asText());
            assertEquals("assistant", row.get("rejected").get(0).get("role").asText());
            assertEquals(4, row.get("metadata").get("scores").size());
        }
    }

    @Test
    void promptsOverriddenFromADirectory() throws IOException {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve(SynthPrompts.QUESTION_WRITER), "CUSTOM {{n}} QUESTIONS FOR {{article}}");
        Files.writeString(prompts.resolve(SynthPrompts.SUMMARIZE), "TLDR: {{article}}");
        SynthScript clean = new SynthScript(3, 5, 4, 3L, false);
        FakeChatModel judge = new FakeChatModel("judge", 1, clean);
        FakeChatModel writer = new FakeChatModel("base", 1, clean);
        SynthConfig cfg = config(clean).optPrompts(SynthPrompts.defaults().withOverrides(prompts)).build();
        pipeline(dir.resolve("out"), cfg, judge, writer).run(clean.articleList());
        long custom = judge.requests.stream()
                .filter(r -> r.messages().get(0).content().startsWith("CUSTOM 5 QUESTIONS FOR Article [[")).count();
        assertEquals(3, custom);
        assertTrue(writer.requests.stream().allMatch(r -> r.messages().get(0).content().startsWith("TLDR: Article")));
        // The judge's answering prompt was not overridden: the default resource text is used.
        assertTrue(judge.requests.stream().anyMatch(r -> r.messages().get(0).content().startsWith("You check what")));

        Files.writeString(prompts.resolve(SynthPrompts.QA_JUDGE), "{{summary}} {{questions}} {{article}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthPrompts.defaults().withOverrides(prompts));
        assertTrue(e.getMessage().contains("qa_judge.txt") && e.getMessage().contains("{{article}}"), e.getMessage());
    }

    @Test
    void duplicateArticleIdsAreCountedAndSkipped() {
        SynthScript clean = new SynthScript(4, 5, 4, 3L, false);
        List<Article> input = new ArrayList<>(clean.articleList());
        input.add(new Article("a01", "Article [[a01]] another text", null));
        FakeChatModel judge = new FakeChatModel("judge", 2, clean);
        FakeChatModel writer = new FakeChatModel("base", 2, clean);
        SynthReport report = pipeline(dir, config(clean).build(), judge, writer).run(input.stream());
        assertEquals(4, report.articlesIn());
        assertEquals(1, report.duplicateArticles());
        assertEquals(1, judge.count("Q|a01"));
    }

    private static JsonNode find(List<JsonNode> rejects, String stage, String id, int k) {
        return rejects.stream().filter(r -> r.get("stage").asText().equals(stage)
                && r.get("article_id").asText().equals(id) && r.get("k").asInt() == k).findFirst()
                .orElseThrow(() -> new AssertionError("no reject " + stage + " " + id + " " + k));
    }

    private static JsonNode readJson(Path file) {
        try {
            return SynthTesting.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
