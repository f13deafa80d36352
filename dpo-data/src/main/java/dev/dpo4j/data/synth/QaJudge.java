package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a summary by how many of the article's questions the judge can answer from the summary
 * alone (the QA-based factual consistency idea of QAGS, Wang et al. 2020, and the llmforge
 * summarization recipe). The prompt shows only the summary and the questions with their options,
 * never the article or the keys; the judge answers all questions in one request, as
 * {@code {"answers": ["A", "X", …]}} under the {@code qa_answers} JSON schema, with
 * {@value #NOT_IN_SUMMARY} for "the summary does not say". The score is the number of answers
 * equal to the key.
 */
public final class QaJudge {

    /** The answer meaning "the summary does not contain the answer". */
    public static final String NOT_IN_SUMMARY = "X";

    private final ChatModel judge;
    private final SynthConfig config;

    /**
     * @param judge the judge model
     * @param config the run settings (prompts, judge sampling, seed)
     */
    public QaJudge(ChatModel judge, SynthConfig config) {
        this.judge = Objects.requireNonNull(judge, "judge");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The request judging one summary.
     *
     * @param summary the summary
     * @param questions the article's questions
     * @return the request
     */
    public ChatRequest request(Summary summary, QuestionSet questions) {
        String prompt = SynthPrompts.render(config.prompts().qaJudge(), Map.of(
                "summary", summary.text(),
                "questions", formatQuestions(questions),
                "n", Integer.toString(questions.size())));
        ChatRequest.Builder b = ChatRequest.user(prompt)
                .optTemperature(config.judgeTemperature())
                .optSeed(QuestionWriter.seed(config.seed(), "judgement", summary.articleId(), summary.index()))
                .optResponseFormat(config.prompts().answerFormat(questions.size()));
        if (config.judgeMaxTokens() != null) {
            b.optMaxTokens(config.judgeMaxTokens());
        }
        return b.build();
    }

    /**
     * Sends the request and scores the answer.
     *
     * @param summary the summary
     * @param questions the article's questions
     * @return the judgement
     * @throws ChatException when the request fails for good, or of kind
     *     {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when the answers are not usable
     */
    public Judgement judge(Summary summary, QuestionSet questions) {
        return parse(summary, questions, judge.chat(request(summary, questions)));
    }

    /**
     * Reads and scores an answer.
     *
     * @param summary the summary judged
     * @param questions the questions asked
     * @param response the judge's answer
     * @return the judgement
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when there is no
     *     {@code answers} array of one letter A–D or X per question
     */
    public Judgement parse(Summary summary, QuestionSet questions, ChatResponse response) {
        JsonNode answers = response.json().get("answers");
        int n = questions.size();
        if (answers == null || !answers.isArray() || answers.size() != n) {
            throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT, "expected 'answers' with " + n
                    + " letters, got " + (answers == null ? "none" : answers.toString()));
        }
        List<String> letters = new ArrayList<>(n);
        int score = 0;
        for (int i = 0; i < n; i++) {
            String letter = answers.get(i).isTextual() ? answers.get(i).asText().strip().toUpperCase(Locale.ROOT) : "";
            if (letter.length() != 1 || (Question.LETTERS + NOT_IN_SUMMARY).indexOf(letter.charAt(0)) < 0) {
                throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT,
                        "answers[" + i + "] must be one of A, B, C, D, X, got " + answers.get(i));
            }
            letters.add(letter);
            if (letter.equals(questions.questions().get(i).answer())) {
                score++;
            }
        }
        return new Judgement(summary.articleId(), summary.index(), letters, score, n);
    }

    /**
     * The questions as the prompt shows them: numbered, each option on its own line with its
     * letter, and no answer key.
     *
     * @param questions the questions
     * @return the text
     */
    public static String formatQuestions(QuestionSet questions) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.questions().get(i);
            sb.append(i + 1).append(". ").append(q.question().strip()).append('\n');
            for (int o = 0; o < Question.OPTIONS; o++) {
                sb.append("   ").append(Question.LETTERS.charAt(o)).append(") ").append(q.options().get(o).strip())
                        .append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }
}
