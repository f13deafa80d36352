package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;

/**
 * Identity preference optimisation, TRL {@code loss_type="ipo"} (Azar et al. 2023, "A General
 * Theoretical Paradigm to Understand Learning from Human Preferences", eq. 17, with β as the paper's τ).
 *
 * <p>As in TRL, log-ratios are averaged per token (divided by the completion length, clamped to ≥ 1)
 * before the margin is taken, so the squared loss does not grow with completion length:
 * <pre>
 *   δ̄_i = z_c/|y_c| − z_r/|y_r|,   loss_i = (δ̄_i − 1/(2β))²
 * </pre>
 */
public final class IpoLoss implements PreferenceLoss {

    /** Creates the loss. */
    public IpoLoss() {
    }

    @Override
    public String name() {
        return "ipo";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        return in.lengthNormalisedMargin().sub(1 / (2 * s.beta())).square();
    }
}
