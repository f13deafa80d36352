package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Estimate;
import java.util.Objects;

/**
 * Output lengths of a contender, in words (whitespace-separated tokens). Length matters
 * when reading judge preferences, which favour longer answers.
 *
 * @param words mean words per output, with its 95% CI
 * @param medianWords the median words per output ({@code NaN} with no outputs)
 * @param minWords the shortest output
 * @param maxWords the longest output
 * @param empty outputs with no words
 */
public record LengthResult(Estimate words, double medianWords, int minWords, int maxWords, int empty) {

    /**
     * Checks that nothing is missing.
     *
     * @throws NullPointerException if {@code words} is null
     */
    public LengthResult {
        Objects.requireNonNull(words, "words");
    }

    /**
     * The result as JSON.
     *
     * @return {@code {words, median_words, min_words, max_words, empty}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("words", words.toJson());
        JsonFields.putNumber(node, "median_words", medianWords);
        node.put("min_words", minWords);
        node.put("max_words", maxWords);
        node.put("empty", empty);
        return node;
    }

    /**
     * Reads a result written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the result
     * @throws IllegalArgumentException if a field is missing or has the wrong type
     */
    public static LengthResult fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "length_result");
        return new LengthResult(f.estimate("words"), f.number("median_words"), f.integer("min_words"),
                f.integer("max_words"), f.integer("empty"));
    }
}
