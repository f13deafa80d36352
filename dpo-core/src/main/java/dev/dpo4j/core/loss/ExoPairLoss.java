package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * EXO for pairwise preferences, TRL {@code loss_type="exo_pair"} (Ji et al. 2024, "Towards Efficient
 * Exact Optimization of Language Model Alignment", eq. 16): the reverse KL from the policy's pair
 * distribution q = softmax(β·z) over {chosen, rejected} to the smoothed label distribution (1 − ε, ε).
 *
 * <pre>
 *   loss_i = σ(β·δ_i)·(log σ(β·δ_i) − log(1 − ε)) + σ(−β·δ_i)·(log σ(−β·δ_i) − log ε)
 * </pre>
 * ε is the label smoothing, or 1e-3 when that is 0 (the paper's and TRL's default; log 0 is undefined).
 */
public final class ExoPairLoss implements PreferenceLoss {

    /** The ε used when label smoothing is 0. */
    public static final double DEFAULT_EPSILON = 1e-3;

    /** Creates the loss. */
    public ExoPairLoss() {
    }

    @Override
    public String name() {
        return "exo_pair";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        double eps = s.labelSmoothing() == 0 ? DEFAULT_EPSILON : s.labelSmoothing();
        NDArray x = Scalars.mul(in.logratioMargin(), s.beta()); // (B)
        NDArray chosenTerm = LossOps.sigmoid(x).mul(LossOps.logSigmoid(x).sub(Math.log1p(-eps)));
        NDArray rejectedTerm = LossOps.sigmoid(x.neg()).mul(LossOps.logSigmoid(x.neg()).sub(Math.log(eps)));
        return chosenTerm.add(rejectedTerm);
    }
}
