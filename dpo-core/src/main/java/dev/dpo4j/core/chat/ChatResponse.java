package dev.dpo4j.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link ChatRequest}.
 *
 * @param model the model that answered, as the server named it
 * @param choices the generated answers, at least one
 * @param usage the tokens the request consumed ({@link TokenUsage#ZERO} when the server did not
 *     say)
 * @param fromCache true when the answer came from the on-disk response cache, not the server
 */
public record ChatResponse(String model, List<ChatChoice> choices, TokenUsage usage, boolean fromCache) {

    /** Validates that there is at least one choice. */
    public ChatResponse {
        Objects.requireNonNull(choices, "ChatResponse.choices must not be null");
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("ChatResponse.choices must not be empty");
        }
        choices = List.copyOf(choices);
        model = model == null ? "" : model;
        usage = usage == null ? TokenUsage.ZERO : usage;
    }

    /**
     * The first choice's text.
     *
     * @return the text
     */
    public String text() {
        return choices.get(0).content();
    }

    /**
     * The first choice parsed as a JSON object, tolerating code fences and text around it
     * ({@link JsonReplies#parseObject(String)}).
     *
     * @return the object
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when no JSON
     *     object can be found in the text
     */
    public JsonNode json() {
        return JsonReplies.parseObject(text());
    }

    /**
     * The same response marked as served from the cache.
     *
     * @return a copy with {@code fromCache} true
     */
    public ChatResponse asCached() {
        return new ChatResponse(model, choices, usage, true);
    }
}
