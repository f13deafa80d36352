/**
 * TRL's family of DPO preference losses on DJL arrays, differentiable through the policy log-probs.
 *
 * <p>Inputs are per-pair sequence log-probs ({@link dev.dpo4j.core.loss.PreferenceLogps}: sums of
 * token log-probs over completion tokens, and completion lengths); each loss is one class implementing
 * {@link dev.dpo4j.core.loss.PreferenceLoss}, named as in TRL's {@code loss_type} and listed in
 * {@link dev.dpo4j.core.loss.LossType}. A training objective is a {@link dev.dpo4j.core.loss.WeightedLoss}
 * (TRL's {@code loss_type} list with {@code loss_weights}); it returns a
 * {@link dev.dpo4j.core.loss.LossResult} carrying the differentiable loss, the implicit rewards and TRL's
 * metric names. Every loss computes in float64 and returns float64 arrays.
 *
 * <p>Notation used in the Javadoc of the losses: B pairs; for pair i, {@code z_c = log π(y_c|x) − log
 * π_ref(y_c|x)} (chosen log-ratio), {@code z_r} likewise for the rejected completion, {@code δ = z_c −
 * z_r}, {@code |y|} the completion length in tokens, σ the logistic function, β, ε (label smoothing) and
 * τ from {@link dev.dpo4j.core.loss.LossSettings}.
 */
package dev.dpo4j.core.loss;
