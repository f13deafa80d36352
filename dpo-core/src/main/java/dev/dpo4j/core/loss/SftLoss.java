package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;

/**
 * Supervised NLL of the chosen completions, TRL {@code loss_type="sft"}, mixed into DPO as in RPO
 * (Pang et al. 2024, "Iterative Reasoning Preference Optimization") and MPO.
 *
 * <p>TRL takes the cross-entropy over all chosen completion tokens of the batch, so the batch value is a
 * token-weighted mean, not the mean of per-pair values:
 * <pre>
 *   per pair:  loss_i = −π_c,i / |y_c,i|
 *   batch:     loss   = −Σ_i π_c,i / Σ_i |y_c,i|   =  Σ_i loss_i·|y_c,i| / Σ_i |y_c,i|
 * </pre>
 * (lengths clamped to ≥ 1). {@link #reduce} implements the second line.
 */
public final class SftLoss implements PreferenceLoss {

    /** Creates the loss. */
    public SftLoss() {
    }

    @Override
    public String name() {
        return "sft";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        return LossOps.f64(in.policyChosen()).div(LossOps.lengths(in.chosenLengths())).neg();
    }

    /** Token-weighted mean over the batch: Σ loss_i·|y_c,i| / Σ |y_c,i|. */
    @Override
    public NDArray reduce(NDArray perSequence, PreferenceLogps in) {
        NDArray lengths = LossOps.lengths(in.chosenLengths()); // (B)
        return perSequence.mul(lengths).sum().div(lengths.sum());
    }
}
