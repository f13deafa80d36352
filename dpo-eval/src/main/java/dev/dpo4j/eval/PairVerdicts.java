package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * Both orders' verdicts for one item of a pair, as journaled in
 * {@code pairwise/<a>__vs__<b>.jsonl}; the combined outcome is written too, for a reader of the
 * file, and recomputed from the verdicts when read.
 *
 * @param aFirst the verdict with contender A's output shown as "Response A"
 * @param bFirst the verdict with contender B's output shown as "Response A"
 */
record PairVerdicts(Verdict aFirst, Verdict bFirst) {

    /** Validates that both verdicts are present. */
    PairVerdicts {
        Objects.requireNonNull(aFirst, "PairVerdicts.aFirst must not be null");
        Objects.requireNonNull(bFirst, "PairVerdicts.bFirst must not be null");
    }

    /** @return the MT-Bench outcome from A's point of view */
    PairwiseJudge.Outcome outcome() {
        return PairwiseJudge.outcome(aFirst, bFirst);
    }

    /** @return whether the two orders preferred different contenders */
    boolean inconsistent() {
        return PairwiseJudge.inconsistent(aFirst, bFirst);
    }

    /** @return {@code {"a_first", "b_first", "outcome", "inconsistent"}} */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("a_first", aFirst.toJson());
        node.set("b_first", bFirst.toJson());
        node.put("outcome", outcome().name().toLowerCase(Locale.ROOT));
        node.put("inconsistent", inconsistent());
        return node;
    }

    /**
     * Reads {@link #toJson()}.
     *
     * @param node the journal line
     * @return the verdicts
     * @throws IllegalArgumentException naming the bad field
     */
    static PairVerdicts fromJson(JsonNode node) {
        try {
            return new PairVerdicts(Verdict.fromJson(node.get("a_first")), Verdict.fromJson(node.get("b_first")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fields 'a_first' and 'b_first' must be verdicts: " + e.getMessage(), e);
        }
    }
}
