/**
 * Log-probabilities of completions given prompts: {@link dev.dpo4j.core.score.LogProbScorer} scores batches
 * of prompt/completion ids for inference, and {@link dev.dpo4j.core.score.TokenLogps} is the one LM head of
 * dpo4j's log-probs (chunked, float32 log-softmax, gather; recomputed chunk by chunk in backward), which the
 * scorer and training's {@code SegmentLogps} share.
 */
package dev.dpo4j.core.score;
