package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Anchored preference optimisation, down variant, TRL {@code loss_type="apo_down"} (D'Oosterlinck et al.
 * 2024, "Anchored Preference Optimization and Contrastive Revisions", eq. 8): for data whose chosen
 * answers are worse than the model's own; lowers both likelihoods, the rejected one more.
 *
 * <pre>
 *   loss_i = σ(β·z_c) + (1 − σ(β·δ_i))
 * </pre>
 */
public final class ApoDownLoss implements PreferenceLoss {

    /** Creates the loss. */
    public ApoDownLoss() {
    }

    @Override
    public String name() {
        return "apo_down";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        NDArray chosen = LossOps.sigmoid(Scalars.mul(in.chosenLogratios(), s.beta()));
        return chosen.add(LossOps.sigmoid(Scalars.mul(in.logratioMargin(), s.beta())).neg().add(1.0));
    }
}
