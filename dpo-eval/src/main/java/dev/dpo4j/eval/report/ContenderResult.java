package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Everything measured about one contender (a model or endpoint answering the evaluation
 * prompts): QA score, ROUGE and output length.
 *
 * @param name the contender's display name (e.g. "base", "dpo", "gpt-4o")
 * @param model the model id or path behind it
 * @param outputs outputs generated
 * @param failed prompts for which generation failed
 * @param qa the QA score, or null when not computed
 * @param rouge the ROUGE scores, or null when not computed (no references)
 * @param length output lengths
 */
public record ContenderResult(String name, String model, int outputs, int failed, QaResult qa, RougeResult rouge,
        LengthResult length) {

    /**
     * Checks the required fields.
     *
     * @throws NullPointerException if {@code name}, {@code model} or {@code length} is null
     */
    public ContenderResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(length, "length");
    }

    /**
     * The result as JSON; an absent {@code qa} or {@code rouge} is written as {@code null}.
     *
     * @return {@code {name, model, outputs, failed, qa, rouge, length}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("model", model);
        node.put("outputs", outputs);
        node.put("failed", failed);
        node.set("qa", qa == null ? node.nullNode() : qa.toJson());
        node.set("rouge", rouge == null ? node.nullNode() : rouge.toJson());
        node.set("length", length.toJson());
        return node;
    }

    /**
     * Reads a result written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the result
     * @throws IllegalArgumentException if a field is missing or has the wrong type
     */
    public static ContenderResult fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "contender_result");
        return new ContenderResult(f.text("name"), f.text("model"), f.integer("outputs"), f.integer("failed"),
                f.optional("qa", QaResult::fromJson), f.optional("rouge", RougeResult::fromJson),
                LengthResult.fromJson(f.required("length")));
    }
}
