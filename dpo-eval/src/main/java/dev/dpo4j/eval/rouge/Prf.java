package dev.dpo4j.eval.rouge;

/**
 * Precision, recall and F1 of one ROUGE variant.
 *
 * <p>Precision is relative to the candidate (overlap / candidate n-grams), recall to the
 * reference (overlap / reference n-grams), and F1 = 2PR/(P+R), 0 when P + R = 0.
 *
 * @param precision overlap divided by the candidate's n-gram count, in [0, 1]
 * @param recall overlap divided by the reference's n-gram count, in [0, 1]
 * @param f1 the harmonic mean of precision and recall, in [0, 1]
 */
public record Prf(double precision, double recall, double f1) {

    /** All zero: the score of an empty candidate or reference. */
    public static final Prf ZERO = new Prf(0, 0, 0);

    /**
     * Builds a score from precision and recall, computing F1 as {@code rouge_score} does.
     *
     * @param precision the precision
     * @param recall the recall
     * @return the score with {@code f1 = 2PR/(P+R)}, or 0 when {@code P + R = 0}
     */
    public static Prf of(double precision, double recall) {
        double sum = precision + recall;
        double f1 = sum > 0 ? 2 * precision * recall / sum : 0.0;
        return new Prf(precision, recall, f1);
    }
}
