/**
 * Small statistics for evaluation: point estimates with seeded percentile-bootstrap 95%
 * confidence intervals ({@link dev.dpo4j.eval.stats.Bootstrap},
 * {@link dev.dpo4j.eval.stats.Estimate}), paired significance tests (a sign-flip
 * randomization test and the exact binomial sign test, {@link dev.dpo4j.eval.stats.PairedTests})
 * and score histograms ({@link dev.dpo4j.eval.stats.Distribution}).
 *
 * <p>Everything here is deterministic for a given seed, so two runs of an evaluation over
 * the same outputs report the same intervals. References: B. Efron and R. Tibshirani,
 * <i>An Introduction to the Bootstrap</i> (1993), ch. 13 (percentile intervals) and ch. 15
 * (permutation tests).
 */
package dev.dpo4j.eval.stats;
