package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks the judge model for an article's multiple-choice questions: one request per article, with
 * the {@code question_set} JSON schema as {@code response_format}, the judge temperature and a seed
 * derived from the run seed and the article id (so a rerun sends the identical request).
 *
 * <p>The answer must hold exactly {@code numQuestions} questions of four non-empty options each
 * and an answer letter A–D; anything else is unparseable output.
 */
public final class QuestionWriter {

    private final ChatModel judge;
    private final SynthConfig config;

    /**
     * @param judge the judge model
     * @param config the run settings (prompts, number of questions, judge sampling, seed)
     */
    public QuestionWriter(ChatModel judge, SynthConfig config) {
        this.judge = Objects.requireNonNull(judge, "judge");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The request for one article.
     *
     * @param article the article
     * @return the request
     */
    public ChatRequest request(Article article) {
        int n = config.numQuestions();
        String prompt = SynthPrompts.render(config.prompts().questionWriter(),
                Map.of("article", article.text(), "n", Integer.toString(n)));
        ChatRequest.Builder b = ChatRequest.user(prompt)
                .optTemperature(config.judgeTemperature())
                .optSeed(seed(config.seed(), "questions", article.id(), -1))
                .optResponseFormat(config.prompts().questionFormat(n));
        if (config.judgeMaxTokens() != null) {
            b.optMaxTokens(config.judgeMaxTokens());
        }
        return b.build();
    }

    /**
     * Sends the request and parses the answer.
     *
     * @param article the article
     * @return the questions
     * @throws ChatException when the request fails for good, or of kind
     *     {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when the answer is not a valid question set
     */
    public QuestionSet write(Article article) {
        return parse(article.id(), judge.chat(request(article)));
    }

    /**
     * Parses and validates an answer.
     *
     * @param articleId the article's id
     * @param response the judge's answer
     * @return the questions
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} saying what is wrong
     */
    public QuestionSet parse(String articleId, ChatResponse response) {
        JsonNode json = response.json();
        try {
            List<Question> questions = QuestionSet.questions(json.get("questions"));
            if (questions.size() != config.numQuestions()) {
                throw new IllegalArgumentException("expected " + config.numQuestions() + " questions, got "
                        + questions.size());
            }
            return new QuestionSet(articleId, questions, judge.name());
        } catch (IllegalArgumentException e) {
            throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT,
                    "invalid question set: " + e.getMessage());
        }
    }

    /**
     * A request seed that depends only on the run seed, the stage, the article and {@code k}, kept
     * to 31 bits because some servers (llama.cpp) take a 32-bit seed.
     *
     * @param runSeed the run seed
     * @param stage the stage name
     * @param articleId the article's id
     * @param k the summary index, or -1
     * @return a seed in {@code [0, 2^31)}
     */
    public static long seed(long runSeed, String stage, String articleId, int k) {
        return StableHash.of(Long.toString(runSeed), stage, articleId, Integer.toString(k)) & 0x7fff_ffffL;
    }
}
