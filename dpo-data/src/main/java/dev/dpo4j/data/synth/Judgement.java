package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The judge's answers to an article's questions, read from one summary alone, and the score.
 *
 * @param articleId the article's id
 * @param index the summary's index {@code k}
 * @param answers the judge's answer letter per question ({@code "A"}–{@code "D"}, or
 *     {@value QaJudge#NOT_IN_SUMMARY} when the summary does not tell)
 * @param score how many answers equal the question's key
 * @param total how many questions there were
 */
public record Judgement(String articleId, int index, List<String> answers, int score, int total) {

    /** Validates that {@code 0 <= score <= total == answers.size()}. */
    public Judgement {
        Objects.requireNonNull(articleId, "Judgement.articleId must not be null");
        answers = List.copyOf(answers);
        if (answers.size() != total || score < 0 || score > total) {
            throw new IllegalArgumentException("Judgement needs 0 <= score <= total = answers, got score " + score
                    + ", total " + total + ", " + answers.size() + " answers");
        }
    }

    /**
     * The journal line {@code {"article_id", "k", "answers", "score", "total"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("article_id", articleId);
        node.put("k", index);
        answers.forEach(node.putArray("answers")::add);
        node.put("score", score);
        node.put("total", total);
        return node;
    }

    /**
     * Reads a journal line written by {@link #toJson()}.
     *
     * @param node the line
     * @return the judgement
     * @throws IllegalArgumentException naming the bad field
     */
    public static Judgement fromJson(JsonNode node) {
        return new Judgement(SynthJson.text(node, "article_id"), SynthJson.integer(node, "k"),
                SynthJson.texts(node, "answers"), SynthJson.integer(node, "score"), SynthJson.integer(node, "total"));
    }
}
