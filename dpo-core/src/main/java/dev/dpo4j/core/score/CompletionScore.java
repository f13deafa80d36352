package dev.dpo4j.core.score;

/**
 * Log-probabilities of one completion.
 *
 * @param logprob the sum over completion tokens of log p(token | everything before it)
 * @param tokenLogprobs one value per completion token, in order
 */
public record CompletionScore(double logprob, float[] tokenLogprobs) {
}
