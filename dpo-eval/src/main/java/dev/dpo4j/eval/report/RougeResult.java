package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Estimate;
import java.util.Objects;

/**
 * A contender's mean ROUGE F1 scores against the references, each with a 95% CI over items
 * (see {@link dev.dpo4j.eval.rouge.Rouge}).
 *
 * @param rouge1 mean ROUGE-1 F1
 * @param rouge2 mean ROUGE-2 F1
 * @param rougeL mean ROUGE-L F1
 */
public record RougeResult(Estimate rouge1, Estimate rouge2, Estimate rougeL) {

    /**
     * Checks that nothing is missing.
     *
     * @throws NullPointerException if an estimate is null
     */
    public RougeResult {
        Objects.requireNonNull(rouge1, "rouge1");
        Objects.requireNonNull(rouge2, "rouge2");
        Objects.requireNonNull(rougeL, "rougeL");
    }

    /**
     * The result as JSON.
     *
     * @return {@code {rouge1, rouge2, rouge_l}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("rouge1", rouge1.toJson());
        node.set("rouge2", rouge2.toJson());
        node.set("rouge_l", rougeL.toJson());
        return node;
    }

    /**
     * Reads a result written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the result
     * @throws IllegalArgumentException if a field is missing or has the wrong type
     */
    public static RougeResult fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "rouge_result");
        return new RougeResult(f.estimate("rouge1"), f.estimate("rouge2"), f.estimate("rouge_l"));
    }
}
