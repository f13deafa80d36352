package dev.dpo4j.core.loss;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Hyper-parameters shared by the preference losses, with TRL {@code DPOConfig} names and defaults.
 *
 * @param beta {@code beta} (default 0.1): strength of the KL constraint to the reference; higher keeps
 *     the policy closer to it. For ipo it is the regularisation τ of the IPO paper (target margin 1/(2β))
 * @param labelSmoothing {@code label_smoothing} ε (default 0): assumed probability that a preference
 *     label is flipped; used by robust, exo_pair and cdpo, must lie in [0, 0.5)
 * @param discopopTau {@code discopop_tau} (default 0.05): temperature of DiscoPOP's mixing sigmoid
 */
public record LossSettings(@JsonProperty("beta") double beta,
                           @JsonProperty("label_smoothing") double labelSmoothing,
                           @JsonProperty("discopop_tau") double discopopTau) {

    /** TRL's default beta. */
    public static final double DEFAULT_BETA = 0.1;
    /** TRL's default label smoothing. */
    public static final double DEFAULT_LABEL_SMOOTHING = 0.0;
    /** TRL's default DiscoPOP temperature. */
    public static final double DEFAULT_DISCOPOP_TAU = 0.05;

    /** Validates the values, naming the TRL field at fault. */
    public LossSettings {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a finite number > 0, got " + beta);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("label_smoothing must be in [0, 0.5), got " + labelSmoothing);
        }
        if (!(discopopTau > 0) || Double.isInfinite(discopopTau)) {
            throw new IllegalArgumentException("discopop_tau must be a finite number > 0, got " + discopopTau);
        }
    }

    /** @return beta 0.1, label_smoothing 0, discopop_tau 0.05 */
    public static LossSettings defaults() {
        return new LossSettings(DEFAULT_BETA, DEFAULT_LABEL_SMOOTHING, DEFAULT_DISCOPOP_TAU);
    }

    /**
     * @param beta the new beta
     * @return a copy with that beta
     */
    public LossSettings withBeta(double beta) {
        return new LossSettings(beta, labelSmoothing, discopopTau);
    }

    /**
     * @param labelSmoothing the new label smoothing
     * @return a copy with that label smoothing
     */
    public LossSettings withLabelSmoothing(double labelSmoothing) {
        return new LossSettings(beta, labelSmoothing, discopopTau);
    }

    /**
     * @param discopopTau the new DiscoPOP temperature
     * @return a copy with that temperature
     */
    public LossSettings withDiscopopTau(double discopopTau) {
        return new LossSettings(beta, labelSmoothing, discopopTau);
    }
}
