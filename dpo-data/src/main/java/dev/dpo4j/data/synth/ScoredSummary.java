package dev.dpo4j.data.synth;

import java.util.Objects;

/**
 * A summary with its QA score, the input of a {@link PairPolicy}.
 *
 * @param index the summary's index {@code k}
 * @param text the summary text
 * @param score correct answers
 */
public record ScoredSummary(int index, String text, int score) {

    /** Validates the fields. */
    public ScoredSummary {
        Objects.requireNonNull(text, "ScoredSummary.text must not be null");
        if (index < 0 || score < 0) {
            throw new IllegalArgumentException("index and score must be >= 0, got " + index + ", " + score);
        }
    }
}
