package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;

/**
 * Self-play preference optimisation with hard labels, TRL {@code loss_type="sppo_hard"} (Wu et al. 2024,
 * "Self-Play Preference Optimization for Language Model Alignment", eq. 4.7 with P = 1 for the winner and
 * 0 for the loser): regresses each log-ratio onto ±1/(2β).
 *
 * <pre>
 *   loss_i = (z_c − 1/(2β))² + (z_r + 1/(2β))²
 * </pre>
 */
public final class SppoHardLoss implements PreferenceLoss {

    /** Creates the loss. */
    public SppoHardLoss() {
    }

    @Override
    public String name() {
        return "sppo_hard";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        double target = 0.5 / s.beta();
        return in.chosenLogratios().sub(target).square().add(in.rejectedLogratios().add(target).square());
    }
}
