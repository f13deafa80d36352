package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import java.util.Optional;
import dev.dpo4j.core.util.Scalars;

/**
 * Binary classifier optimisation on pairs, TRL {@code loss_type="bco_pair"} (Jung et al. 2024, "Binary
 * Classifier Optimization for Large Language Model Alignment"): each implicit reward is classified on its
 * own, chosen as positive and rejected as negative, around a baseline Δ.
 *
 * <pre>
 *   r_c = β·z_c,  r_r = β·z_r,   loss_i = −log σ(r_c,i − Δ) − log σ(−(r_r,i − Δ))
 * </pre>
 *
 * <p>Two baselines:
 * <ul>
 *   <li>{@link #BcoPairLoss()}: Δ = 0, as current TRL computes it (and the registry's {@code "bco_pair"});
 *   <li>{@link #withRunningBaseline()}: BCO's reward shift, as TRL computed it before its loss rewrite:
 *       each call merges the batch's mean reward mean(r_c ∪ r_r) (detached) into a {@link RunningMoments}
 *       as one value, and Δ is the updated running mean, so on the first batch Δ = the mean of the
 *       batch's 2B rewards. Such a loss is stateful: every {@link #perSequence} call advances it, and a
 *       trainer checkpoints it through {@link #baseline()}.
 * </ul>
 */
public final class BcoPairLoss implements PreferenceLoss {

    private final RunningMoments baseline;

    /** Creates the loss with Δ = 0 (current TRL). */
    public BcoPairLoss() {
        this.baseline = null;
    }

    /**
     * Creates the loss with a running reward baseline.
     *
     * @param baseline the moments to update and read Δ from (a restored checkpoint, or new)
     */
    public BcoPairLoss(RunningMoments baseline) {
        if (baseline == null) {
            throw new IllegalArgumentException("BcoPairLoss baseline must not be null; use new BcoPairLoss() for Δ = 0");
        }
        this.baseline = baseline;
    }

    /** @return a loss whose Δ is the running mean of batch rewards, starting from fresh moments */
    public static BcoPairLoss withRunningBaseline() {
        return new BcoPairLoss(new RunningMoments());
    }

    /** @return the running baseline, empty when Δ = 0 */
    public Optional<RunningMoments> baseline() {
        return Optional.ofNullable(baseline);
    }

    @Override
    public String name() {
        return "bco_pair";
    }

    @Override
    public NDArray perSequence(PreferenceLogps in, LossSettings s) {
        NDArray chosen = Scalars.mul(in.chosenLogratios(), s.beta()); // (B) r_c
        NDArray rejected = Scalars.mul(in.rejectedLogratios(), s.beta()); // (B) r_r
        if (baseline != null) {
            // the batch statistic is detached: Δ is a constant of this step, as in TRL
            double batchMean = chosen.concat(rejected).mean().stopGradient().toDoubleArray()[0];
            baseline.update(batchMean);
            double delta = baseline.mean();
            chosen = chosen.sub(delta);
            rejected = rejected.sub(delta);
        }
        return LossOps.logSigmoid(chosen).neg().sub(LossOps.logSigmoid(rejected.neg()));
    }
}
