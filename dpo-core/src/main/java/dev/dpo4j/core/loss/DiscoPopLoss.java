package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * DiscoPOP, the log-ratio modulated loss, TRL {@code loss_type="discopop"} (Chan et al. 2024,
 * "Discovering Preference Optimization Algorithms with and for Large Language Models", eq. 5): blends the
 * logistic (DPO) and exponential losses with a weight that depends on the margin.
 *
 * <pre>
 *   x_i = β·δ_i,   m_i = σ(x_i / τ),   loss_i = (1 − m_i)·(−log σ(x_i)) + m_i·exp(−x_i)
 * </pre>
 */
public final class DiscoPopLoss implements PreferenceLoss {

    /** Creates the loss. */
    public DiscoPopLoss() {
    }

    @Override
    public String name() {
        return "discopop";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        NDArray x = Scalars.mul(in.logratioMargin(), s.beta()); // (B) logits
        NDArray mix = LossOps.sigmoid(Scalars.div(x, s.discopopTau())); // (B) log-ratio modulation
        NDArray logistic = LossOps.logSigmoid(x).neg();
        NDArray exponential = x.neg().exp();
        return logistic.mul(mix.neg().add(1.0)).add(exponential.mul(mix));
    }
}
