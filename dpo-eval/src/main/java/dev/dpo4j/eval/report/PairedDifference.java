package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Estimate;
import java.util.Objects;

/**
 * The per-item paired difference {@code a − b} of one metric between two contenders on the
 * same items, with a bootstrap CI and a sign-flip test p-value
 * (see {@link dev.dpo4j.eval.stats.PairedTests#signFlipPValue}).
 *
 * @param a name of contender A
 * @param b name of contender B
 * @param metric the metric compared, e.g. {@code "qa_score"} or {@code "rouge_l"}
 * @param meanDifference mean of {@code a − b} over items, with its 95% CI
 * @param aBetter items where A scored higher
 * @param bBetter items where B scored higher
 * @param equal items where both scored the same
 * @param pValue two-sided sign-flip p-value of {@code mean(a − b) = 0}
 */
public record PairedDifference(String a, String b, String metric, Estimate meanDifference, int aBetter, int bBetter,
        int equal, double pValue) {

    /**
     * Checks the required fields.
     *
     * @throws NullPointerException if a name, the metric or the estimate is null
     */
    public PairedDifference {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(meanDifference, "meanDifference");
    }

    /**
     * The result as JSON.
     *
     * @return {@code {a, b, metric, mean_difference, a_better, b_better, equal, p_value}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("a", a);
        node.put("b", b);
        node.put("metric", metric);
        node.set("mean_difference", meanDifference.toJson());
        node.put("a_better", aBetter);
        node.put("b_better", bBetter);
        node.put("equal", equal);
        JsonFields.putNumber(node, "p_value", pValue);
        return node;
    }

    /**
     * Reads a result written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the result
     * @throws IllegalArgumentException if a field is missing or has the wrong type
     */
    public static PairedDifference fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "paired_difference");
        return new PairedDifference(f.text("a"), f.text("b"), f.text("metric"), f.estimate("mean_difference"),
                f.integer("a_better"), f.integer("b_better"), f.integer("equal"), f.number("p_value"));
    }
}
