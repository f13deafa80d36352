/** Log-probabilities of completions given prompts, batched. */
package dev.dpo4j.core.score;
