package dev.dpo4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatChoice;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Articles from rows, the judge's parsers, prompts and config validation. */
class SynthRecordsTest {

    private static final SynthConfig CONFIG = SynthConfig.builder().optNumQuestions(2).optThreshold(1).build();

    @Test
    void articleFromRowDerivesAStableIdAndNamesTheLineOfABadRow() {
        ObjectNode v = JsonNodeFactory.instance.objectNode().put("article", "abc");
        Article a = Article.fromRow(new DataRow("cnn.jsonl", 3, v));
        // SHA-1("abc") is the FIPS 180 test vector a9993e36...
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", a.id());
        assertNull(a.highlights());
        Article b = Article.fromRow(new DataRow("cnn.jsonl", 4, v.deepCopy().put("id", "x1").put("highlights", "h")));
        assertEquals("x1", b.id());
        assertEquals("h", b.highlights());
        DatasetException e = assertThrows(DatasetException.class,
                () -> Article.fromRow(new DataRow("cnn.jsonl", 7, JsonNodeFactory.instance.objectNode().put("id", "1"))));
        assertTrue(e.getMessage().startsWith("cnn.jsonl:7: column 'article' is missing"), e.getMessage());
        e = assertThrows(DatasetException.class, () -> Article.fromRow(new DataRow("cnn.jsonl", 9,
                JsonNodeFactory.instance.objectNode().put("article", "  "))));
        assertTrue(e.getMessage().startsWith("cnn.jsonl:9: column 'article' is empty"), e.getMessage());
    }

    @Test
    void questionWriterAcceptsValidSetsAndRejectsOthers() {
        QuestionWriter w = new QuestionWriter(new FakeChatModel("judge", 1, new SynthScript(1, 2, 2, 0, false)), CONFIG);
        String one = "{\"question\":\"Who?\",\"options\":[\"a\",\"b\",\"c\",\"d\"],\"answer\":\"c\"}";
        QuestionSet set = w.parse("a1", reply("```json\n{\"questions\":[" + one + "," + one + "]}\n```"));
        assertEquals(2, set.size());
        assertEquals("C", set.questions().get(0).answer());
        assertUnparseable(() -> w.parse("a1", reply("{\"questions\":[" + one + "]}")), "expected 2 questions, got 1");
        assertUnparseable(() -> w.parse("a1", reply("{\"questions\":[" + one + "," + one.replace("\"d\"]", "]") + "]}")),
                "needs 4 options");
        assertUnparseable(() -> w.parse("a1", reply("{\"questions\":[" + one + "," + one.replace("\"c\"}", "\"E\"}")
                + "]}")), "answer must be one of A, B, C, D");
        assertUnparseable(() -> w.parse("a1", reply("no json here")), "no JSON object");
    }

    @Test
    void qaJudgeScoresAnswersAgainstTheKeyAndHidesTheKey() {
        QaJudge judge = new QaJudge(new FakeChatModel("judge", 1, new SynthScript(1, 2, 2, 0, false)), CONFIG);
        QuestionSet set = new QuestionSet("a1", List.of(new Question("Who won?", List.of("Ann", "Bo", "Cy", "Di"), "B"),
                new Question("Where?", List.of("Rome", "Oslo", "Lima", "Pune"), "D")), "judge");
        Summary s = new Summary("a1", 0, "Bo won in Oslo.", "base");
        // Key B, D; answers b, X: one right.
        Judgement j = judge.parse(s, set, reply("{\"answers\": [\"b\", \"X\"]}"));
        assertEquals(List.of("B", "X"), j.answers());
        assertEquals(1, j.score());
        assertEquals(2, j.total());
        assertUnparseable(() -> judge.parse(s, set, reply("{\"answers\": [\"B\"]}")), "expected 'answers' with 2");
        assertUnparseable(() -> judge.parse(s, set, reply("{\"answers\": [\"B\", \"E\"]}")), "answers[1]");
        String prompt = judge.request(s, set).messages().get(0).content();
        assertTrue(prompt.contains("Bo won in Oslo.") && prompt.contains("2. Where?\n   A) Rome"), prompt);
        assertTrue(judge.request(s, set).responseFormat().strict());
    }

    @Test
    void templatesRenderInOnePassAndRefuseUnknownPlaceholders() {
        // An article quoting a placeholder stays as it is.
        assertEquals("A {{summary}} B", SynthPrompts.render("A {{article}} B", Map.of("article", "{{summary}}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthPrompts.defaults().withSummarize("Summarize."));
        assertTrue(e.getMessage().contains("summarize.txt: the template must contain {{article}}"), e.getMessage());
        assertEquals(List.of(), SchemaCheck.strictProblems(SynthPrompts.defaults().questionFormat(5).schema()));
        assertEquals(List.of(), SchemaCheck.strictProblems(SynthPrompts.defaults().answerFormat(5).schema()));
    }

    @Test
    void configValidatesItsRanges() {
        SynthConfig d = SynthConfig.defaults();
        assertEquals(5, d.numQuestions());
        assertEquals(4, d.numCandidates());
        assertEquals(3, d.threshold());
        assertEquals(PairPolicy.THRESHOLD, d.policy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthConfig.builder().optThreshold(6).build());
        assertTrue(e.getMessage().contains("threshold must be in 1..5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SynthConfig.builder().optNumCandidates(1).build());
        assertThrows(IllegalArgumentException.class, () -> SynthConfig.builder().optValidFraction(1).build());
    }

    @Test
    void summarySeedsAreStableAndDistinct() {
        assertEquals(CandidateWriter.seedFor(42, "a", 0), CandidateWriter.seedFor(42, "a", 0));
        assertTrue(CandidateWriter.seedFor(42, "a", 0) != CandidateWriter.seedFor(42, "a", 1));
        assertTrue(CandidateWriter.seedFor(42, "a", 0) != CandidateWriter.seedFor(43, "a", 0));
        assertTrue(CandidateWriter.seedFor(42, "a", 0) >= 0 && CandidateWriter.seedFor(42, "a", 0) < (1L << 31));
    }

    private static ChatResponse reply(String text) {
        return new ChatResponse("m", List.of(new ChatChoice(text, "stop")), null, false);
    }

    private static void assertUnparseable(Runnable call, String fragment) {
        ChatException e = assertThrows(ChatException.class, call::run);
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, e.kind());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
