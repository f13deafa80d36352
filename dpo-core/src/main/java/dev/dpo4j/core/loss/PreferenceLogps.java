package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;

/**
 * Sequence log-probs of a batch of B preference pairs: the inputs of every {@link PreferenceLoss}.
 *
 * <p>Each log-prob is the SUM of {@code log p(token | all before it)} over the completion tokens only;
 * lengths are the completion token counts (as floats). Policy arrays may carry an autograd graph; the
 * reference arrays must not (they come from the model with adapters off, under no gradient).
 *
 * @param policyChosen (B) policy log-prob of each chosen completion
 * @param policyRejected (B) policy log-prob of each rejected completion
 * @param referenceChosen (B) reference log-prob of each chosen completion
 * @param referenceRejected (B) reference log-prob of each rejected completion
 * @param chosenLengths (B) chosen completion lengths in tokens
 * @param rejectedLengths (B) rejected completion lengths in tokens
 */
public record PreferenceLogps(NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen,
                              NDArray referenceRejected, NDArray chosenLengths, NDArray rejectedLengths) {

    /** Checks that all six arrays are present, one-dimensional and of the same length B. */
    public PreferenceLogps {
        Objects.requireNonNull(policyChosen, "policyChosen");
        Objects.requireNonNull(policyRejected, "policyRejected");
        Objects.requireNonNull(referenceChosen, "referenceChosen");
        Objects.requireNonNull(referenceRejected, "referenceRejected");
        Objects.requireNonNull(chosenLengths, "chosenLengths");
        Objects.requireNonNull(rejectedLengths, "rejectedLengths");
        if (policyChosen.getShape().dimension() != 1) {
            throw new IllegalArgumentException("policyChosen must have shape (B), got " + policyChosen.getShape());
        }
        String[] names = {"policyRejected", "referenceChosen", "referenceRejected", "chosenLengths",
            "rejectedLengths"};
        NDArray[] others = {policyRejected, referenceChosen, referenceRejected, chosenLengths, rejectedLengths};
        for (int i = 0; i < others.length; i++) {
            if (!others[i].getShape().equals(policyChosen.getShape())) {
                throw new IllegalArgumentException(names[i] + " must have the shape of policyChosen "
                        + policyChosen.getShape() + ", got " + others[i].getShape());
            }
        }
    }

    /**
     * Builds the record from Java arrays (float64), for tests and precomputed log-probs.
     *
     * @param manager owner of the new arrays
     * @param policyChosen policy chosen log-probs
     * @param policyRejected policy rejected log-probs
     * @param referenceChosen reference chosen log-probs
     * @param referenceRejected reference rejected log-probs
     * @param chosenLengths chosen completion lengths
     * @param rejectedLengths rejected completion lengths
     * @return the record
     */
    public static PreferenceLogps of(NDManager manager, double[] policyChosen, double[] policyRejected,
                                     double[] referenceChosen, double[] referenceRejected,
                                     double[] chosenLengths, double[] rejectedLengths) {
        return new PreferenceLogps(manager.create(policyChosen), manager.create(policyRejected),
                manager.create(referenceChosen), manager.create(referenceRejected),
                manager.create(chosenLengths), manager.create(rejectedLengths));
    }

    /** @return B, the number of pairs */
    public long batchSize() {
        return policyChosen.getShape().get(0);
    }

    /** @return (B) float64 chosen log-ratio z_c = policyChosen − referenceChosen (differentiable) */
    public NDArray chosenLogratios() {
        return LossOps.f64(policyChosen).sub(LossOps.f64(referenceChosen));
    }

    /** @return (B) float64 rejected log-ratio z_r = policyRejected − referenceRejected (differentiable) */
    public NDArray rejectedLogratios() {
        return LossOps.f64(policyRejected).sub(LossOps.f64(referenceRejected));
    }

    /** @return (B) float64 δ = z_c − z_r, TRL's {@code delta_score} (differentiable) */
    public NDArray logratioMargin() {
        return chosenLogratios().sub(rejectedLogratios());
    }

    /**
     * The per-token margin used by ipo and sigmoid_norm: z_c/|y_c| − z_r/|y_r|, lengths clamped to ≥ 1.
     *
     * @return (B) float64 length-normalised margin (differentiable)
     */
    public NDArray lengthNormalisedMargin() {
        return chosenLogratios().div(LossOps.lengths(chosenLengths))
                .sub(rejectedLogratios().div(LossOps.lengths(rejectedLengths)));
    }
}
