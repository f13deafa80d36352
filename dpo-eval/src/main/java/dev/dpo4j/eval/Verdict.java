package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * The pairwise judge's answer to one ordering: which position it preferred, and why.
 *
 * @param winner the preferred position ({@code "A"} is the response shown first)
 * @param reason the judge's one or two sentences; empty when it gave none
 */
public record Verdict(Winner winner, String reason) {

    /** A position in the pairwise prompt, or neither. */
    public enum Winner {
        /** The response shown first ("Response A"). */
        A,
        /** The response shown second ("Response B"). */
        B,
        /** Neither is better. */
        TIE;

        /**
         * The name the judge writes: {@code A}, {@code B} or {@code tie}.
         *
         * @return the JSON value
         */
        public String json() {
            return this == TIE ? "tie" : name();
        }

        /**
         * Reads the judge's value, ignoring case and surrounding white space.
         *
         * @param text {@code A}, {@code B} or {@code tie}
         * @return the winner
         * @throws IllegalArgumentException for anything else
         */
        public static Winner parse(String text) {
            String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
            return switch (t) {
                case "A" -> A;
                case "B" -> B;
                case "TIE" -> TIE;
                default -> throw new IllegalArgumentException("winner must be A, B or tie, got '" + text + "'");
            };
        }
    }

    /** Validates the winner; a null reason becomes empty. */
    public Verdict {
        Objects.requireNonNull(winner, "Verdict.winner must not be null");
        reason = reason == null ? "" : reason;
    }

    /**
     * The JSON form {@code {"winner", "reason"}}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("winner", winner.json());
        node.put("reason", reason);
        return node;
    }

    /**
     * Reads {@link #toJson()} (also the judge's own answer).
     *
     * @param node the object
     * @return the verdict
     * @throws IllegalArgumentException when {@code winner} is missing or not A, B or tie
     */
    public static Verdict fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a verdict must be a JSON object");
        }
        JsonNode winner = node.get("winner");
        if (winner == null || !winner.isTextual()) {
            throw new IllegalArgumentException("field 'winner' must be a string (A, B or tie)");
        }
        JsonNode reason = node.get("reason");
        return new Verdict(Winner.parse(winner.asText()), reason != null && reason.isTextual() ? reason.asText() : "");
    }
}
