package dev.dpo4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.ResponseFormat;
import dev.dpo4j.core.chat.TokenUsage;
import dev.dpo4j.data.synth.Judgement;
import dev.dpo4j.data.synth.QaJudge;
import dev.dpo4j.data.synth.QuestionSet;
import dev.dpo4j.data.synth.QuestionWriter;
import dev.dpo4j.data.synth.Summary;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.data.synth.SynthPrompts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedJudgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final NewsArticle ACME = JudgeTestArticles.ACME;
    private static final NewsArticle STORM = JudgeTestArticles.STORM;

    /** Every key fact of ACME: company B, day C, date A, price D, city B. */
    private static final String ACME_ALL = "Acme Corp will buy Globex for 5 billion dollars , it said on Monday ,"
            + " March 3 . The deal was signed in Paris .";
    /** Two facts of ACME: the company and the city. */
    private static final String ACME_TWO = "Acme Corp signed a deal in Paris .";
    /** Two other facts of ACME: the day and the price. */
    private static final String ACME_OTHER_TWO = "On Monday a company agreed to pay 5 billion dollars .";

    private final EmbeddedJudge judge = new EmbeddedJudge(JudgeTestArticles.ALL);
    private final SynthConfig config = SynthConfig.defaults();

    @Test
    void questionWriterGetsTheQuotedArticlesQuestions() {
        QuestionWriter writer = new QuestionWriter(judge, config);
        for (NewsArticle article : JudgeTestArticles.ALL) {
            QuestionSet written = writer.write(article.toArticle());
            assertEquals(article.id(), written.articleId());
            assertEquals(article.questions().questions(), written.questions());
            assertEquals("embedded-judge", written.model());
        }
    }

    @Test
    void questionSetHonoursTheSchemasCount() {
        SynthConfig three = SynthConfig.builder().optNumQuestions(3).optThreshold(2).build();
        QuestionSet written = new QuestionWriter(judge, three).write(STORM.toArticle());
        assertEquals(STORM.questions().questions().subList(0, 3), written.questions());

        SynthConfig six = SynthConfig.builder().optNumQuestions(6).build();
        ChatException e = assertThrows(ChatException.class,
                () -> new QuestionWriter(judge, six).write(STORM.toArticle()));
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, e.kind());
        assertTrue(e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void qaJudgeScoresSummariesByTheFactsTheyState() {
        QaJudge qa = new QaJudge(judge, config);
        QuestionSet questions = ACME.questions();

        Judgement all = qa.judge(summary(ACME_ALL), questions);
        assertEquals(List.of("B", "C", "A", "D", "B"), all.answers());
        assertEquals(5, all.score());

        Judgement two = qa.judge(summary(ACME_TWO), questions);
        assertEquals(List.of("B", "X", "X", "X", "B"), two.answers());
        assertEquals(2, two.score());

        // Paris and Rome are both options of the city question: the reader cannot tell -> X.
        Judgement twoCities = qa.judge(summary("Acme Corp may sign in Paris or in Rome ."), questions);
        assertEquals(List.of("B", "X", "X", "X", "X"), twoCities.answers());
        assertEquals(1, twoCities.score());

        Judgement empty = qa.judge(summary(""), questions);
        assertEquals(List.of("X", "X", "X", "X", "X"), empty.answers());
        assertEquals(0, empty.score());
    }

    @Test
    void qaJudgeReadsAWrongFactAsAWrongAnswer() {
        // The summary says Tuesday and March 30: both are options, both wrong -> 2 correct (company, city).
        Judgement wrong = new QaJudge(judge, config).judge(
                summary("Acme Corp spoke on Tuesday , March 30 , in Paris ."), ACME.questions());
        assertEquals(List.of("B", "B", "B", "X", "B"), wrong.answers());
        assertEquals(2, wrong.score());
    }

    @Test
    void pairwiseWinnerFollowsTheFactCountInBothOrders() throws IOException {
        assertEquals("B", verdict(ACME, ACME_TWO, ACME_ALL).path("winner").asText());
        assertEquals("A", verdict(ACME, ACME_ALL, ACME_TWO).path("winner").asText());
        // 2 facts against 2 other facts: a tie, whichever comes first.
        assertEquals("tie", verdict(ACME, ACME_TWO, ACME_OTHER_TWO).path("winner").asText());
        assertEquals("tie", verdict(ACME, ACME_OTHER_TWO, ACME_TWO).path("winner").asText());
        JsonNode storm = verdict(STORM, "A storm hit Oslo .", "A storm closed 12 schools in Oslo in October .");
        assertEquals("B", storm.path("winner").asText());
        assertTrue(storm.path("reason").asText().contains("news-00002"), storm.toString());
    }

    @Test
    void pairwiseOnUnknownArticleIsUnparseable() throws IOException {
        NewsArticle stranger = new NewsArticle("news-99999", "Nobody knows this text .", "-", ACME.questions());
        ChatException e = assertThrows(ChatException.class, () -> verdict(stranger, ACME_ALL, ACME_TWO));
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, e.kind());
    }

    @Test
    void refusesRequestsItCannotAnswer() {
        assertThrows(IllegalArgumentException.class, () -> judge.chat(ChatRequest.user("Hello").build()));
        ResponseFormat other = ResponseFormat.jsonSchema("ranking", JSON.createObjectNode().put("type", "object"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> judge.chat(ChatRequest.user("Hello").optResponseFormat(other).build()));
        assertTrue(unknown.getMessage().contains("ranking"), unknown.getMessage());

        ResponseFormat questionSet = SynthPrompts.defaults().questionFormat(5);
        ChatRequest aboutNothing = ChatRequest.user("Write questions about nothing")
                .optResponseFormat(questionSet).build();
        ChatException noArticle = assertThrows(ChatException.class, () -> judge.chat(aboutNothing));
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, noArticle.kind());

        ResponseFormat answers = SynthPrompts.defaults().answerFormat(5);
        ChatException noQuestions = assertThrows(ChatException.class,
                () -> judge.chat(ChatRequest.user("Summary:\nsome text").optResponseFormat(answers).build()));
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, noQuestions.kind());
    }

    @Test
    void answersEveryChoiceWithZeroUsage() {
        ChatRequest request = new QuestionWriter(judge, config).request(ACME.toArticle()).toBuilder().optN(3).build();
        ChatResponse response = judge.chat(request);
        assertEquals(3, response.choices().size());
        assertEquals(response.choices().get(0), response.choices().get(2));
        assertEquals(TokenUsage.ZERO, response.usage());
        assertEquals("embedded-judge", judge.name());
        assertTrue(judge.maxConcurrency() > 1);
    }

    @Test
    void refusesACorpusWithRepeatedIds() {
        NewsArticle copy = new NewsArticle(ACME.id(), "Another text .", "-", ACME.questions());
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedJudge(List.of(ACME, copy)));
    }

    private static Summary summary(String text) {
        return new Summary(ACME.id(), 0, text, "hand");
    }

    /** Renders dpo-eval's pairwise prompt as its evaluator does and asks the judge. */
    private JsonNode verdict(NewsArticle article, String responseA, String responseB) throws IOException {
        String instruction = SynthPrompts.defaults().summarize().replace("{{article}}", article.text());
        String prompt = resource("/dev/dpo4j/eval/pairwise.txt")
                .replace("{{instruction}}", instruction)
                .replace("{{response_a}}", responseA)
                .replace("{{response_b}}", responseB);
        JsonNode schema = JSON.readTree(resource("/dev/dpo4j/eval/pairwise_verdict.schema.json"));
        ChatRequest request = ChatRequest.user(prompt)
                .optResponseFormat(ResponseFormat.jsonSchema("pairwise_verdict", schema)).build();
        return judge.chat(request).json();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EmbeddedJudgeTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
