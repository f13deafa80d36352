package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * DPO's logistic loss, TRL {@code loss_type="sigmoid"} (Rafailov et al. 2023, "Direct Preference
 * Optimization: Your Language Model is Secretly a Reward Model", eq. 7).
 *
 * <pre>
 *   loss_i = −log σ(β·δ_i),   δ = (π_c − ref_c) − (π_r − ref_r)
 * </pre>
 *
 * <p>As in current TRL, label smoothing does not enter this loss; the label-smoothed form (conservative
 * DPO) is {@link ConservativeSigmoidLoss}.
 */
public final class SigmoidLoss implements PreferenceLoss {

    /** Creates the loss. */
    public SigmoidLoss() {
    }

    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        return LossOps.logSigmoid(Scalars.mul(in.logratioMargin(), s.beta())).neg();
    }
}
