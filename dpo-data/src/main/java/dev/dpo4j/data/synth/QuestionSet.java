package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The questions the judge wrote for one article.
 *
 * @param articleId the article's id
 * @param questions the questions, at least one
 * @param model the judge model that wrote them
 */
public record QuestionSet(String articleId, List<Question> questions, String model) {

    /** Validates that there is at least one question. */
    public QuestionSet {
        Objects.requireNonNull(articleId, "QuestionSet.articleId must not be null");
        questions = List.copyOf(questions);
        model = model == null ? "" : model;
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("a question set needs at least one question");
        }
    }

    /**
     * The number of questions.
     *
     * @return {@code questions().size()}
     */
    public int size() {
        return questions.size();
    }

    /**
     * The journal line {@code {"article_id", "questions", "model"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("article_id", articleId);
        node.set("questions", questionsJson());
        node.put("model", model);
        return node;
    }

    /**
     * The questions as a JSON array.
     *
     * @return a new array
     */
    public ArrayNode questionsJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        questions.forEach(q -> array.add(q.toJson()));
        return array;
    }

    /**
     * Reads a journal line written by {@link #toJson()}.
     *
     * @param node the line
     * @return the question set
     * @throws IllegalArgumentException saying which field is wrong
     */
    public static QuestionSet fromJson(JsonNode node) {
        String articleId = SynthJson.text(node, "article_id");
        return new QuestionSet(articleId, questions(node.get("questions")), SynthJson.optText(node, "model"));
    }

    /**
     * Reads a JSON array of questions.
     *
     * @param array the array
     * @return the questions
     * @throws IllegalArgumentException naming the bad question's index
     */
    static List<Question> questions(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("field 'questions' must be an array");
        }
        List<Question> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                list.add(Question.fromJson(array.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("questions[" + i + "]: " + e.getMessage(), e);
            }
        }
        return list;
    }
}
