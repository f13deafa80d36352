package dev.dpo4j.eval.rouge;

import java.util.Objects;

/**
 * The three ROUGE scores of one candidate against one reference.
 *
 * @param rouge1 unigram overlap
 * @param rouge2 bigram overlap
 * @param rougeL longest-common-subsequence score
 */
public record RougeScore(Prf rouge1, Prf rouge2, Prf rougeL) {

    /**
     * Checks that no score is missing.
     *
     * @throws NullPointerException if a score is null
     */
    public RougeScore {
        Objects.requireNonNull(rouge1, "rouge1");
        Objects.requireNonNull(rouge2, "rouge2");
        Objects.requireNonNull(rougeL, "rougeL");
    }
}
