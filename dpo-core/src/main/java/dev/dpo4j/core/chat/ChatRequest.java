package dev.dpo4j.core.chat;

import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One chat-completion request, in the fields of the OpenAI {@code /v1/chat/completions} API.
 * Optional fields are null when unset, so the server's defaults apply and the cache key does not
 * depend on fields nobody set.
 *
 * @param model the model to ask, or null for the client's default model
 * @param messages the conversation; at least one message
 * @param temperature sampling temperature ({@code temperature}), or null
 * @param topP nucleus sampling mass ({@code top_p}), or null
 * @param maxTokens the most tokens to generate per choice ({@code max_tokens}), or null
 * @param n how many choices to generate ({@code n}), or null for one
 * @param seed the sampling seed ({@code seed}), or null
 * @param stop stop sequences ({@code stop}); empty for none
 * @param responseFormat structured output ({@code response_format}), or null for free text
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        Double temperature,
        Double topP,
        Integer maxTokens,
        Integer n,
        Long seed,
        List<String> stop,
        ResponseFormat responseFormat) {

    /** Validates ranges and copies the lists. */
    public ChatRequest {
        Objects.requireNonNull(messages, "ChatRequest.messages must not be null");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("ChatRequest.messages must not be empty");
        }
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (temperature != null && (temperature < 0 || !Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
        }
        if (n != null && n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
    }

    /**
     * How many choices the request asks for.
     *
     * @return {@code n}, or 1 when unset
     */
    public int choiceCount() {
        return n == null ? 1 : n;
    }

    /**
     * A builder starting from the given messages.
     *
     * @param messages the conversation
     * @return a builder
     */
    public static Builder builder(List<ChatMessage> messages) {
        return new Builder(messages);
    }

    /**
     * A builder starting from a single user message.
     *
     * @param userMessage the user's text
     * @return a builder
     */
    public static Builder user(String userMessage) {
        return new Builder(List.of(ChatMessage.user(userMessage)));
    }

    /**
     * This request with other messages and every other field the same.
     *
     * @param newMessages the messages to send instead
     * @return the new request
     */
    public ChatRequest withMessages(List<ChatMessage> newMessages) {
        return new ChatRequest(model, newMessages, temperature, topP, maxTokens, n, seed, stop, responseFormat);
    }

    /**
     * A builder holding this request's fields, to change some of them.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(messages);
        b.model = model;
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.n = n;
        b.seed = seed;
        b.stop = new ArrayList<>(stop);
        b.responseFormat = responseFormat;
        return b;
    }

    /** Builds a {@link ChatRequest}; every field but the messages is optional. */
    public static final class Builder {
        private final List<ChatMessage> messages;
        private String model;
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private Integer n;
        private Long seed;
        private List<String> stop = new ArrayList<>();
        private ResponseFormat responseFormat;

        private Builder(List<ChatMessage> messages) {
            this.messages = List.copyOf(messages);
        }

        /**
         * @param value the model name; null for the client's default
         * @return this builder
         */
        public Builder optModel(String value) {
            this.model = value;
            return this;
        }

        /**
         * @param value the sampling temperature (0 = greedy)
         * @return this builder
         */
        public Builder optTemperature(double value) {
            this.temperature = value;
            return this;
        }

        /**
         * @param value the nucleus sampling mass in (0, 1]
         * @return this builder
         */
        public Builder optTopP(double value) {
            this.topP = value;
            return this;
        }

        /**
         * @param value the most tokens to generate per choice
         * @return this builder
         */
        public Builder optMaxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        /**
         * @param value how many choices to generate
         * @return this builder
         */
        public Builder optN(int value) {
            this.n = value;
            return this;
        }

        /**
         * @param value the sampling seed
         * @return this builder
         */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param values stop sequences
         * @return this builder
         */
        public Builder optStop(List<String> values) {
            this.stop = new ArrayList<>(values);
            return this;
        }

        /**
         * @param value structured output format; null for free text
         * @return this builder
         */
        public Builder optResponseFormat(ResponseFormat value) {
            this.responseFormat = value;
            return this;
        }

        /**
         * @return the request
         * @throws IllegalArgumentException when a value is out of range
         */
        public ChatRequest build() {
            return new ChatRequest(model, messages, temperature, topP, maxTokens, n, seed, stop,
                    responseFormat);
        }
    }
}
