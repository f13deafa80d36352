package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One candidate summary the base model wrote.
 *
 * @param articleId the article's id
 * @param index which of the article's candidates this is, 0-based ({@code k})
 * @param text the summary text as the model wrote it
 * @param model the base model's name
 */
public record Summary(String articleId, int index, String text, String model) {

    /** Validates the fields. */
    public Summary {
        Objects.requireNonNull(articleId, "Summary.articleId must not be null");
        Objects.requireNonNull(text, "Summary.text must not be null");
        model = model == null ? "" : model;
        if (index < 0) {
            throw new IllegalArgumentException("Summary.index must be >= 0, got " + index);
        }
    }

    /**
     * The journal line {@code {"article_id", "k", "text", "model"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("article_id", articleId);
        node.put("k", index);
        node.put("text", text);
        node.put("model", model);
        return node;
    }

    /**
     * Reads a journal line written by {@link #toJson()}.
     *
     * @param node the line
     * @return the summary
     * @throws IllegalArgumentException naming the bad field
     */
    public static Summary fromJson(JsonNode node) {
        return new Summary(SynthJson.text(node, "article_id"), SynthJson.integer(node, "k"),
                SynthJson.text(node, "text"), SynthJson.optText(node, "model"));
    }
}
