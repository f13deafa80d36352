package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Length-normalised DPO, TRL {@code loss_type="sigmoid_norm"}: the logistic loss on per-token log-ratios,
 * so long completions do not dominate the margin (the normalisation of SimPO, Meng et al. 2024, "SimPO:
 * Simple Preference Optimization with a Reference-Free Reward", eq. 4, applied here to log-ratios against
 * the reference rather than reference-free log-probs).
 *
 * <pre>
 *   loss_i = −log σ(β·(z_c/|y_c| − z_r/|y_r|)),   lengths clamped to ≥ 1
 * </pre>
 */
public final class SigmoidNormLoss implements PreferenceLoss {

    /** Creates the loss. */
    public SigmoidNormLoss() {
    }

    @Override
    public String name() {
        return "sigmoid_norm";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        return LossOps.logSigmoid(Scalars.mul(in.lengthNormalisedMargin(), s.beta())).neg();
    }
}
