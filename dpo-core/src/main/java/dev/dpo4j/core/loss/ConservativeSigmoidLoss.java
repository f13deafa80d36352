package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Conservative DPO (cDPO), the label-smoothed logistic loss: {@code loss_type="cdpo"} here, which is
 * what TRL's {@code "sigmoid"} computed with {@code label_smoothing > 0} before its loss rewrite (Mitchell
 * 2023, "A note on DPO with noisy preferences and relationship to IPO"; analysed by Chowdhury et al.
 * 2024, "Provably Robust DPO").
 *
 * <pre>
 *   loss_i = −(1 − ε)·log σ(β·δ_i) − ε·log σ(−β·δ_i)
 * </pre>
 * With ε = 0 it equals {@link SigmoidLoss}.
 */
public final class ConservativeSigmoidLoss implements PreferenceLoss {

    /** Creates the loss. */
    public ConservativeSigmoidLoss() {
    }

    @Override
    public String name() {
        return "cdpo";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        double eps = s.labelSmoothing();
        NDArray x = Scalars.mul(in.logratioMargin(), s.beta()); // (B)
        return Scalars.mul(LossOps.logSigmoid(x), -(1 - eps)).sub(Scalars.mul(LossOps.logSigmoid(x.neg()), eps));
    }
}
