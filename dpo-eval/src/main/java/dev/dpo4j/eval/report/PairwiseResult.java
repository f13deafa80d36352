package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Estimate;
import java.util.Objects;

/**
 * A pairwise (LLM-as-a-judge) comparison of contender A against contender B, from A's
 * point of view, as in MT-Bench (Zheng et al. 2023, "Judging LLM-as-a-Judge").
 *
 * <p>The judge sees each item twice, with the answers in both orders; an item where the
 * two verdicts disagree counts as a tie and as {@code inconsistent}. The adjusted win rate
 * is {@code (wins + 0.5·ties) / n}, with a bootstrap CI over items valued 1, 0.5 or 0.
 *
 * @param a name of contender A
 * @param b name of contender B
 * @param n items judged
 * @param wins items A won
 * @param losses items A lost
 * @param ties items tied, including inconsistent ones
 * @param inconsistent items where the two orders disagreed
 * @param winRateAdjusted {@code (wins + 0.5·ties) / n} with its 95% CI
 * @param signTestP exact two-sided sign-test p-value of wins against losses
 */
public record PairwiseResult(String a, String b, int n, int wins, int losses, int ties, int inconsistent,
        Estimate winRateAdjusted, double signTestP) {

    /**
     * Checks the required fields.
     *
     * @throws NullPointerException if a name or the win rate is null
     */
    public PairwiseResult {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(winRateAdjusted, "winRateAdjusted");
    }

    /**
     * The result as JSON.
     *
     * @return {@code {a, b, n, wins, losses, ties, inconsistent, win_rate_adjusted, sign_test_p}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("a", a);
        node.put("b", b);
        node.put("n", n);
        node.put("wins", wins);
        node.put("losses", losses);
        node.put("ties", ties);
        node.put("inconsistent", inconsistent);
        node.set("win_rate_adjusted", winRateAdjusted.toJson());
        JsonFields.putNumber(node, "sign_test_p", signTestP);
        return node;
    }

    /**
     * Reads a result written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the result
     * @throws IllegalArgumentException if a field is missing or has the wrong type
     */
    public static PairwiseResult fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "pairwise_result");
        return new PairwiseResult(f.text("a"), f.text("b"), f.integer("n"), f.integer("wins"), f.integer("losses"),
                f.integer("ties"), f.integer("inconsistent"), f.estimate("win_rate_adjusted"),
                f.number("sign_test_p"));
    }
}
