package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;

/**
 * One preference loss of TRL's {@code DPOTrainer}: a per-pair loss and its batch reduction.
 *
 * <p>Implementations use only NDArray operations on the policy log-probs, so the result stays on the
 * autograd graph; they compute in float64 and return float64. A new loss is a new class registered in
 * {@link LossType}.
 */
public interface PreferenceLoss {

    /** @return the TRL {@code loss_type} name, e.g. {@code "sigmoid"} */
    String name();

    /**
     * The loss of each pair.
     *
     * @param in the batch's log-probs
     * @param settings beta, label smoothing, DiscoPOP tau
     * @return (B) float64 per-pair losses, differentiable w.r.t. the policy log-probs
     */
    NDArray perSequence(PreferenceLogps in, LossSettings settings);

    /**
     * Reduces per-pair losses to the batch loss. The default is TRL's mean over pairs; a loss whose
     * batch value is not that mean (sft: a token-weighted mean) overrides it.
     *
     * @param perSequence (B) the output of {@link #perSequence}
     * @param in the same batch (for lengths)
     * @return () float64 scalar
     */
    default NDArray reduce(NDArray perSequence, PreferenceLogps in) {
        return perSequence.mean();
    }

    /**
     * The batch loss: {@code reduce(perSequence(in, settings), in)}.
     *
     * @param in the batch's log-probs
     * @param settings beta, label smoothing, DiscoPOP tau
     * @return () float64 scalar, differentiable
     */
    default NDArray loss(PreferenceLogps in, LossSettings settings) {
        return reduce(perSequence(in, settings), in);
    }
}
