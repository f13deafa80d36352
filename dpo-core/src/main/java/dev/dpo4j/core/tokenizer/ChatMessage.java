package dev.dpo4j.core.tokenizer;

import java.util.Objects;

/**
 * One message of a conversation, as Hugging Face chat templates see it: a {@code role}
 * ({@code "system"}, {@code "user"}, {@code "assistant"}, …) and its text {@code content}.
 *
 * @param role the speaker's role; never null
 * @param content the message text; never null (use an empty string for an empty message)
 */
public record ChatMessage(String role, String content) {

    /** Validates that neither field is null. */
    public ChatMessage {
        Objects.requireNonNull(role, "ChatMessage.role must not be null");
        Objects.requireNonNull(content, "ChatMessage.content must not be null");
    }

    /**
     * A system message.
     *
     * @param content the text
     * @return {@code new ChatMessage("system", content)}
     */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /**
     * A user message.
     *
     * @param content the text
     * @return {@code new ChatMessage("user", content)}
     */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /**
     * An assistant message.
     *
     * @param content the text
     * @return {@code new ChatMessage("assistant", content)}
     */
    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
