package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A preference pair among one article's summaries, by index.
 *
 * @param chosen the preferred summary's index {@code k}
 * @param rejected the dispreferred summary's index
 * @param chosenScore the chosen summary's score (at or above the threshold)
 * @param rejectedScore the rejected summary's score (below the threshold)
 */
public record SummaryPair(int chosen, int rejected, int chosenScore, int rejectedScore) {

    /** Validates that the two summaries differ and the chosen one scores higher. */
    public SummaryPair {
        if (chosen == rejected || chosenScore <= rejectedScore) {
            throw new IllegalArgumentException("a pair needs two summaries with chosen scoring higher, got k "
                    + chosen + " (" + chosenScore + ") vs k " + rejected + " (" + rejectedScore + ")");
        }
    }

    /**
     * The pair of two scored summaries.
     *
     * @param chosen the better summary
     * @param rejected the worse summary
     * @return the pair
     */
    static SummaryPair of(ScoredSummary chosen, ScoredSummary rejected) {
        return new SummaryPair(chosen.index(), rejected.index(), chosen.score(), rejected.score());
    }

    /**
     * The first pair, in the orders given, whose two summaries are not the same text (identical
     * texts teach nothing).
     *
     * @param chosenOrder candidates for chosen, in order of preference
     * @param rejectedOrder candidates for rejected, in order of preference
     * @return that pair alone, or an empty list when every combination has equal texts
     */
    static List<SummaryPair> firstDistinct(List<ScoredSummary> chosenOrder, List<ScoredSummary> rejectedOrder) {
        for (ScoredSummary chosen : chosenOrder) {
            for (ScoredSummary rejected : rejectedOrder) {
                if (!chosen.text().equals(rejected.text())) {
                    return List.of(of(chosen, rejected));
                }
            }
        }
        return List.of();
    }

    /**
     * The form in {@code articles.jsonl}: {@code {"chosen_k", "rejected_k", "chosen_score",
     * "rejected_score"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("chosen_k", chosen);
        node.put("rejected_k", rejected);
        node.put("chosen_score", chosenScore);
        node.put("rejected_score", rejectedScore);
        return node;
    }

    /**
     * Reads the form written by {@link #toJson()}.
     *
     * @param node the object
     * @return the pair
     */
    public static SummaryPair fromJson(JsonNode node) {
        return new SummaryPair(SynthJson.integer(node, "chosen_k"), SynthJson.integer(node, "rejected_k"),
                SynthJson.integer(node, "chosen_score"), SynthJson.integer(node, "rejected_score"));
    }
}
