package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.dpo4j.core.util.Scalars;

/**
 * Noise contrastive alignment for pairs, TRL {@code loss_type="nca_pair"} (Chen et al. 2024, "Noise
 * Contrastive Alignment of Language Models with Explicit Rewards"): optimises absolute likelihoods, so the
 * chosen likelihood is pushed up rather than only the margin.
 *
 * <pre>
 *   loss_i = −log σ(β·z_c) − ½·log σ(−β·z_c) − ½·log σ(−β·z_r)
 * </pre>
 */
public final class NcaPairLoss implements PreferenceLoss {

    /** Creates the loss. */
    public NcaPairLoss() {
    }

    @Override
    public String name() {
        return "nca_pair";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        NDArray chosen = Scalars.mul(in.chosenLogratios(), s.beta()); // (B) chosen rewards
        NDArray rejected = Scalars.mul(in.rejectedLogratios(), s.beta()); // (B) rejected rewards
        return LossOps.logSigmoid(chosen).neg()
                .sub(Scalars.mul(LossOps.logSigmoid(chosen.neg()), 0.5))
                .sub(Scalars.mul(LossOps.logSigmoid(rejected.neg()), 0.5));
    }
}
