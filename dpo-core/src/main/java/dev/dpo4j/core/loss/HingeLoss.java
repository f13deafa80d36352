package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.dpo4j.core.util.Scalars;

/**
 * The hinge loss on the reward margin, TRL {@code loss_type="hinge"} (Zhao et al. 2023, "SLiC-HF:
 * Sequence Likelihood Calibration with Human Feedback"; here on the reference-normalised margin, where
 * 1/β plays the role of SLiC's margin).
 *
 * <pre>
 *   loss_i = max(0, 1 − β·δ_i)
 * </pre>
 */
public final class HingeLoss implements PreferenceLoss {

    /** Creates the loss. */
    public HingeLoss() {
    }

    @Override
    public String name() {
        return "hinge";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        return Activation.relu(Scalars.mul(in.logratioMargin(), -s.beta()).add(1.0));
    }
}
