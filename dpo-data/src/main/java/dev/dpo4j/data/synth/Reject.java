package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A request that failed for good (after the client's retries) or whose answer could not be used;
 * one line of {@code rejects.jsonl}.
 *
 * @param stage which request
 * @param articleId the article's id
 * @param index the summary index {@code k}, or -1 for a question set
 * @param kind the {@link dev.dpo4j.core.chat.ChatException.Kind} name, or the exception class for
 *     anything else
 * @param reason the explanation
 * @param attempts how many attempts the client made
 */
public record Reject(SynthStage stage, String articleId, int index, String kind, String reason, int attempts) {

    /** Validates the fields. */
    public Reject {
        Objects.requireNonNull(stage, "Reject.stage must not be null");
        Objects.requireNonNull(articleId, "Reject.articleId must not be null");
        kind = kind == null ? "" : kind;
        reason = reason == null ? "" : reason;
    }

    /**
     * The journal line {@code {"stage", "article_id", "k", "kind", "reason", "attempts"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("stage", stage.label());
        node.put("article_id", articleId);
        node.put("k", index);
        node.put("kind", kind);
        node.put("reason", reason);
        node.put("attempts", attempts);
        return node;
    }

    /**
     * Reads a journal line written by {@link #toJson()}.
     *
     * @param node the line
     * @return the reject
     */
    public static Reject fromJson(JsonNode node) {
        return new Reject(SynthStage.fromLabel(SynthJson.text(node, "stage")), SynthJson.text(node, "article_id"),
                SynthJson.integer(node, "k"), SynthJson.optText(node, "kind"), SynthJson.optText(node, "reason"),
                SynthJson.integer(node, "attempts"));
    }
}
