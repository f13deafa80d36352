package dev.dpo4j.examples.workflows;

import java.util.List;

/**
 * What a {@link Chat} session exchanged.
 *
 * @param prompts the user's prompts, in order
 * @param replies the model's replies, one per prompt
 * @param completionTokens tokens generated in all
 */
public record ChatResult(List<String> prompts, List<String> replies, long completionTokens) {
    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException when the lists differ in length
     */
    public ChatResult {
        prompts = List.copyOf(prompts);
        replies = List.copyOf(replies);
        if (prompts.size() != replies.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + replies.size() + " replies");
        }
    }
}
