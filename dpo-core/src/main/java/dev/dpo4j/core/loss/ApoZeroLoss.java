package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Anchored preference optimisation, zero variant, TRL {@code loss_type="apo_zero"} (D'Oosterlinck et al.
 * 2024, "Anchored Preference Optimization and Contrastive Revisions", eq. 7): for data whose chosen
 * answers beat the model's own; raises the chosen likelihood and lowers the rejected one.
 *
 * <pre>
 *   loss_i = (1 − σ(β·z_c)) + σ(β·z_r)
 * </pre>
 */
public final class ApoZeroLoss implements PreferenceLoss {

    /** Creates the loss. */
    public ApoZeroLoss() {
    }

    @Override
    public String name() {
        return "apo_zero";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        NDArray chosen = LossOps.sigmoid(Scalars.mul(in.chosenLogratios(), s.beta())).neg().add(1.0);
        return chosen.add(LossOps.sigmoid(Scalars.mul(in.rejectedLogratios(), s.beta())));
    }
}
