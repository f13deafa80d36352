package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.dpo4j.core.util.Scalars;

/**
 * A batch's loss with the implicit DPO rewards and TRL's logged metrics.
 *
 * <p>Rewards are β·(policy − reference) of the SUMMED log-probs, detached, for every loss (ipo and
 * sigmoid_norm included, as TRL logs them).
 *
 * @param loss () float64 scalar on the autograd graph: call backward on it
 * @param chosenRewards (B) float64 β·(π_c − ref_c), detached
 * @param rejectedRewards (B) float64 β·(π_r − ref_r), detached
 * @param policyChosen (B) float64 policy chosen log-probs, detached
 * @param policyRejected (B) float64 policy rejected log-probs, detached
 */
public record LossResult(NDArray loss, NDArray chosenRewards, NDArray rejectedRewards, NDArray policyChosen,
                         NDArray policyRejected) {

    /** TRL metric: mean chosen reward. */
    public static final String REWARDS_CHOSEN = "rewards/chosen";
    /** TRL metric: mean rejected reward. */
    public static final String REWARDS_REJECTED = "rewards/rejected";
    /** TRL metric: fraction of pairs whose chosen reward is strictly greater. */
    public static final String REWARDS_ACCURACIES = "rewards/accuracies";
    /** TRL metric: mean of chosen − rejected reward. */
    public static final String REWARDS_MARGINS = "rewards/margins";
    /** TRL metric: mean policy log-prob of the chosen completions. */
    public static final String LOGPS_CHOSEN = "logps/chosen";
    /** TRL metric: mean policy log-prob of the rejected completions. */
    public static final String LOGPS_REJECTED = "logps/rejected";

    /**
     * Wraps a computed loss with the rewards of its batch.
     *
     * @param loss the batch loss (scalar, differentiable)
     * @param in the batch
     * @param settings for β
     * @return the result
     */
    public static LossResult of(NDArray loss, PreferenceLogps in, LossSettings settings) {
        return new LossResult(loss,
                Scalars.mul(in.chosenLogratios(), settings.beta()).stopGradient(),
                Scalars.mul(in.rejectedLogratios(), settings.beta()).stopGradient(),
                LossOps.f64(in.policyChosen()).stopGradient(),
                LossOps.f64(in.policyRejected()).stopGradient());
    }

    /** @return the loss as a Java double (reads it from the device) */
    public double lossValue() {
        return loss.stopGradient().toDoubleArray()[0];
    }

    /**
     * TRL's metrics for this batch, in TRL's names and order: rewards/chosen, rewards/rejected,
     * rewards/accuracies, rewards/margins, logps/chosen, logps/rejected (all batch means).
     *
     * @return name → value
     */
    public Map<String, Double> metrics() {
        double[] chosen = chosenRewards.toDoubleArray();
        double[] rejected = rejectedRewards.toDoubleArray();
        double[] lpChosen = policyChosen.toDoubleArray();
        double[] lpRejected = policyRejected.toDoubleArray();
        int b = chosen.length;
        double sumChosen = 0;
        double sumRejected = 0;
        double correct = 0;
        double sumMargin = 0;
        double sumLpChosen = 0;
        double sumLpRejected = 0;
        for (int i = 0; i < b; i++) {
            sumChosen += chosen[i];
            sumRejected += rejected[i];
            correct += chosen[i] > rejected[i] ? 1 : 0;
            sumMargin += chosen[i] - rejected[i];
            sumLpChosen += lpChosen[i];
            sumLpRejected += lpRejected[i];
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(REWARDS_CHOSEN, sumChosen / b);
        m.put(REWARDS_REJECTED, sumRejected / b);
        m.put(REWARDS_ACCURACIES, correct / b);
        m.put(REWARDS_MARGINS, sumMargin / b);
        m.put(LOGPS_CHOSEN, sumLpChosen / b);
        m.put(LOGPS_REJECTED, sumLpRejected / b);
        return m;
    }
}
