package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One multiple-choice question about an article, with exactly {@value #OPTIONS} options labelled
 * A to D.
 *
 * @param question the question text; not blank
 * @param options the four answer options, in label order; none blank
 * @param answer the letter of the correct option, {@code "A"} to {@code "D"}
 */
public record Question(String question, List<String> options, String answer) {

    /** How many options every question has. */
    public static final int OPTIONS = 4;

    /** The option letters, in order. */
    public static final String LETTERS = "ABCD";

    /** Validates the text, the option count and the answer letter. */
    public Question {
        Objects.requireNonNull(question, "Question.question must not be null");
        Objects.requireNonNull(options, "Question.options must not be null");
        Objects.requireNonNull(answer, "Question.answer must not be null");
        if (question.isBlank()) {
            throw new IllegalArgumentException("question text is empty");
        }
        options = List.copyOf(options);
        if (options.size() != OPTIONS) {
            throw new IllegalArgumentException("a question needs " + OPTIONS + " options, got " + options.size());
        }
        for (String option : options) {
            if (option.isBlank()) {
                throw new IllegalArgumentException("an option is empty");
            }
        }
        if (answer.length() != 1 || LETTERS.indexOf(answer.charAt(0)) < 0) {
            throw new IllegalArgumentException("answer must be one of A, B, C, D, got '" + answer + "'");
        }
    }

    /**
     * Reads a question from the judge's JSON ({@code {"question", "options", "answer"}}); the
     * answer letter may be lower case.
     *
     * @param node the JSON object
     * @return the question
     * @throws IllegalArgumentException saying which field is wrong
     */
    public static Question fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a question must be a JSON object");
        }
        JsonNode text = node.get("question");
        JsonNode options = node.get("options");
        JsonNode answer = node.get("answer");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("field 'question' must be a string");
        }
        if (options == null || !options.isArray()) {
            throw new IllegalArgumentException("field 'options' must be an array");
        }
        if (answer == null || !answer.isTextual()) {
            throw new IllegalArgumentException("field 'answer' must be a string");
        }
        List<String> list = new ArrayList<>(options.size());
        for (JsonNode option : options) {
            if (!option.isTextual()) {
                throw new IllegalArgumentException("every option must be a string");
            }
            list.add(option.asText());
        }
        return new Question(text.asText(), list, answer.asText().strip().toUpperCase(Locale.ROOT));
    }

    /**
     * The JSON form {@code {"question", "options", "answer"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("question", question);
        options.forEach(node.putArray("options")::add);
        node.put("answer", answer);
        return node;
    }
}
