package dev.dpo4j.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatChoice;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.TokenUsage;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.synth.Question;
import dev.dpo4j.data.synth.QuestionSet;
import dev.dpo4j.data.synth.SynthPrompts;
import dev.dpo4j.eval.PairwiseJudge;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A judge with no model behind it: it knows the quickstart corpus's questions and answer keys and
 * answers the three kinds of judge requests of the pipeline deterministically, behind the same
 * {@link ChatModel} interface as an OpenAI-compatible endpoint. The request's
 * {@code response_format} json_schema name says what is asked:
 *
 * <ul>
 *   <li>{@code question_set} (dpo-data's {@code QuestionWriter}): the article whose text occurs in
 *       the prompt; the answer is its first {@code n} questions, {@code n} being the schema's
 *       {@code minItems}, as {@code {"questions": [{"question", "options", "answer"}, …]}};</li>
 *   <li>{@code qa_answers} (dpo-data's {@code QaJudge}): the summary and the numbered questions
 *       with options A–D are read out of the prompt (laid out by the {@code qa_judge.txt}
 *       template) and each question is answered by {@link FactMatcher}; the answer is
 *       {@code {"answers": ["A", "X", …]}};</li>
 *   <li>{@code pairwise_verdict} (dpo-eval's pairwise prompt): the article whose text occurs in the
 *       instruction; each response's score is how many of the article's questions
 *       {@link FactMatcher} answers correctly from it, and the answer is
 *       {@code {"reason": "…", "winner": "A" | "B" | "tie"}}.</li>
 * </ul>
 *
 * <p>A request without a {@code response_format}, or with another schema name, is refused with an
 * {@link IllegalArgumentException}: this judge cannot answer it. A request of a known kind whose
 * prompt names no known article or holds no readable questions fails with a {@link ChatException}
 * of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT}, as a real judge's unusable answer would, so
 * the pipeline records it as a rejected item. Every request with {@code n > 1} gets {@code n}
 * identical choices; usage is always zero tokens. The judge is immutable and thread-safe.
 */
public final class EmbeddedJudge implements ChatModel {

    /** The name this judge reports: in metadata, cache keys and question sets. */
    public static final String NAME = "embedded-judge";

    private static final String QUESTION_SET = SynthPrompts.QUESTION_SET_FORMAT;
    private static final String QA_ANSWERS = SynthPrompts.QA_ANSWERS_FORMAT;
    private static final String PAIRWISE_VERDICT = PairwiseJudge.FORMAT_NAME;

    /** Requests worth keeping in flight: answering costs microseconds and takes no lock. */
    private static final int MAX_CONCURRENCY = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The corpus, longest text first, so that an article quoted inside another is not mistaken for it. */
    private final List<NewsArticle> articles;
    private final PromptFields qaPrompt;
    private final PromptFields pairwisePrompt;

    /**
     * A judge for a corpus, reading prompts laid out by dpo-data's default {@code qa_judge.txt} and
     * dpo-eval's {@code pairwise.txt}.
     *
     * @param articles the corpus
     * @throws IllegalArgumentException when two articles share an id or a text
     */
    public EmbeddedJudge(List<NewsArticle> articles) {
        this(articles, SynthPrompts.defaults().qaJudge(), PairwiseJudge.template());
    }

    /**
     * A judge for a corpus, reading prompts laid out by the given templates.
     *
     * @param articles the corpus
     * @param qaJudgeTemplate the QA answering template, with {@code {{summary}}} and {@code {{questions}}}
     * @param pairwiseTemplate the pairwise template, with {@code {{instruction}}}, {@code {{response_a}}}
     *     and {@code {{response_b}}}
     * @throws IllegalArgumentException when two articles share an id or a text, or a template lacks a
     *     placeholder
     */
    public EmbeddedJudge(List<NewsArticle> articles, String qaJudgeTemplate, String pairwiseTemplate) {
        Objects.requireNonNull(articles, "articles");
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (NewsArticle a : articles) {
            if (!ids.add(a.id())) {
                throw new IllegalArgumentException("the corpus has two articles with id " + a.id());
            }
            if (!texts.add(a.text())) {
                throw new IllegalArgumentException("article " + a.id() + " has the same text as an earlier one");
            }
        }
        List<NewsArticle> sorted = new ArrayList<>(articles);
        sorted.sort(Comparator.comparingInt((NewsArticle a) -> a.text().length()).reversed());
        this.articles = List.copyOf(sorted);
        this.qaPrompt = PromptFields.of(qaJudgeTemplate, Set.of("summary", "questions"));
        this.pairwisePrompt = PromptFields.of(pairwiseTemplate, Set.of("instruction", "response_a", "response_b"));
    }

    /**
     * Answers a question-set, QA-answers or pairwise-verdict request.
     *
     * @param request the request
     * @return one or more identical choices holding the JSON answer
     * @throws IllegalArgumentException when the request has no {@code response_format} or an unknown
     *     schema name
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when the prompt
     *     names no known article or its questions cannot be read
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        if (request.responseFormat() == null) {
            throw new IllegalArgumentException("the embedded judge answers only requests with a json_schema "
                    + "response_format (" + QUESTION_SET + ", " + QA_ANSWERS + " or " + PAIRWISE_VERDICT
                    + "); this one has none");
        }
        String prompt = prompt(request);
        JsonNode schema = request.responseFormat().schema();
        ObjectNode answer = switch (request.responseFormat().name()) {
            case QUESTION_SET -> questionSet(prompt, schema);
            case QA_ANSWERS -> qaAnswers(prompt, schema);
            case PAIRWISE_VERDICT -> pairwiseVerdict(prompt);
            default -> throw new IllegalArgumentException("the embedded judge does not know the response_format '"
                    + request.responseFormat().name() + "'; it answers " + QUESTION_SET + ", " + QA_ANSWERS
                    + " and " + PAIRWISE_VERDICT);
        };
        ChatChoice choice = new ChatChoice(answer.toString(), "stop");
        return new ChatResponse(NAME, Collections.nCopies(request.choiceCount(), choice), TokenUsage.ZERO, false);
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return 16: the judge is cheap and thread-safe, so the pipeline's judge stage never waits on it */
    @Override
    public int maxConcurrency() {
        return MAX_CONCURRENCY;
    }

    /** {"questions": [...]}: the first n of the quoted article's questions. */
    private ObjectNode questionSet(String prompt, JsonNode schema) {
        NewsArticle article = articleIn(prompt, QUESTION_SET);
        List<Question> questions = article.questions().questions();
        int n = schemaLength(schema, "questions", questions.size());
        if (n > questions.size()) {
            throw unparseable(QUESTION_SET + " request asks for " + n + " questions; article " + article.id()
                    + " has " + questions.size());
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode array = answer.putArray("questions");
        questions.subList(0, n).forEach(q -> array.add(q.toJson()));
        return answer;
    }

    /** {"answers": [...]}: the letter FactMatcher reads from the summary for each question. */
    private ObjectNode qaAnswers(String prompt, JsonNode schema) {
        Map<String, String> fields = qaPrompt.read(prompt).orElseThrow(() -> unparseable(QA_ANSWERS
                + " request does not follow the qa_judge template: no 'Summary:' and 'Questions:' sections found"));
        List<List<String>> options;
        try {
            options = QuestionBlock.parse(fields.get("questions"));
        } catch (IllegalArgumentException e) {
            throw unparseable(QA_ANSWERS + " request: " + e.getMessage());
        }
        int n = schemaLength(schema, "answers", options.size());
        if (options.size() != n) {
            throw unparseable(QA_ANSWERS + " request: the schema asks for " + n + " answers but the prompt holds "
                    + options.size() + " questions");
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode array = answer.putArray("answers");
        for (List<String> o : options) {
            array.add(FactMatcher.answer(fields.get("summary"), o));
        }
        return answer;
    }

    /** {"reason", "winner"}: the response that states more of the article's facts. */
    private ObjectNode pairwiseVerdict(String prompt) {
        Map<String, String> fields = pairwisePrompt.read(prompt).orElseThrow(() -> unparseable(PAIRWISE_VERDICT
                + " request does not follow the pairwise template: no [Instruction], [Response A] and [Response B]"
                + " sections found"));
        NewsArticle article = articleIn(fields.get("instruction"), PAIRWISE_VERDICT);
        QuestionSet questions = article.questions();
        int a = FactMatcher.correctCount(fields.get("response_a"), questions);
        int b = FactMatcher.correctCount(fields.get("response_b"), questions);
        String winner = a > b ? "A" : b > a ? "B" : "tie";
        String reason = "Response A states " + a + " and response B " + b + " of the " + questions.size()
                + " key facts of article " + article.id() + (a == b ? "." : "; response " + winner + " keeps more.");
        ObjectNode answer = JSON.createObjectNode();
        answer.put("reason", reason);
        answer.put("winner", winner);
        return answer;
    }

    /** The longest corpus article whose text occurs in {@code text}. */
    private NewsArticle articleIn(String text, String kind) {
        for (NewsArticle a : articles) {
            if (text.contains(a.text())) {
                return a;
            }
        }
        throw unparseable(kind + " request quotes none of the " + articles.size()
                + " articles the embedded judge knows");
    }

    /** The schema's minItems for the array property, or {@code fallback} when it states none. */
    private static int schemaLength(JsonNode schema, String property, int fallback) {
        JsonNode array = schema.path("properties").path(property);
        if (array.path("minItems").isIntegralNumber()) {
            return array.get("minItems").asInt();
        }
        return array.path("maxItems").isIntegralNumber() ? array.get("maxItems").asInt() : fallback;
    }

    /** Every message's content, in order, one blank line apart. */
    private static String prompt(ChatRequest request) {
        return request.messages().stream().map(ChatMessage::content).collect(Collectors.joining("\n\n"));
    }

    private static ChatException unparseable(String message) {
        return new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT, NAME + ": " + message);
    }
}
