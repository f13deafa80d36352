package dev.dpo4j.core.generate;

/**
 * The output for one prompt.
 *
 * @param tokens the new tokens only (the prompt is not repeated)
 * @param finishReason why it stopped
 */
public record Generation(long[] tokens, FinishReason finishReason) {
}
