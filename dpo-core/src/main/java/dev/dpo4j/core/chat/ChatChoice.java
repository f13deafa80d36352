package dev.dpo4j.core.chat;

import java.util.Objects;

/**
 * One generated answer.
 *
 * @param content the assistant message text; never null
 * @param finishReason why generation ended ({@code "stop"}, {@code "length"}, …), or null when the
 *     server did not say
 */
public record ChatChoice(String content, String finishReason) {

    /** Validates that the content is not null. */
    public ChatChoice {
        Objects.requireNonNull(content, "ChatChoice.content must not be null");
    }
}
