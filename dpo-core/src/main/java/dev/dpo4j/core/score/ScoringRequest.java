package dev.dpo4j.core.score;

/**
 * A completion to score given its prompt.
 *
 * @param promptIds the context (non-empty: the first completion token needs something before it)
 * @param completionIds the tokens whose log-probs are wanted
 */
public record ScoringRequest(long[] promptIds, long[] completionIds) {
}
