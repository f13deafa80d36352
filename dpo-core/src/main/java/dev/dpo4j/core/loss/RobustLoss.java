package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Robust DPO, TRL {@code loss_type="robust"} (Chowdhury et al. 2024, "Provably Robust DPO: Aligning
 * Language Models with Noisy Feedback", eq. 11): an unbiased estimate of the clean loss when each label
 * is flipped with probability ε.
 *
 * <pre>
 *   loss_i = ( −(1 − ε)·log σ(β·δ_i) + ε·log σ(−β·δ_i) ) / (1 − 2ε)
 * </pre>
 */
public final class RobustLoss implements PreferenceLoss {

    /** Creates the loss. */
    public RobustLoss() {
    }

    @Override
    public String name() {
        return "robust";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        double eps = s.labelSmoothing();
        NDArray x = Scalars.mul(in.logratioMargin(), s.beta()); // (B)
        NDArray smoothed = Scalars.mul(LossOps.logSigmoid(x), -(1 - eps))
                .add(Scalars.mul(LossOps.logSigmoid(x.neg()), eps));
        return Scalars.div(smoothed, 1 - 2 * eps);
    }
}
