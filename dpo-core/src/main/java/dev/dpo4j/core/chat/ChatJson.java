package dev.dpo4j.core.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The OpenAI chat-completions wire format: the request body ({@code model}, {@code messages} and
 * only the optional fields that are set) and the response ({@code choices[].message.content},
 * {@code finish_reason}, {@code usage}, {@code model}). The response cache stores answers in the
 * same shape, so one parser reads both.
 */
final class ChatJson {

    /** Shared mapper; thread-safe once configured. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatJson() {
    }

    /**
     * The request body. Field order is fixed, so equal requests give equal bytes (the cache key).
     *
     * @param request the request
     * @param model the resolved model name
     * @return the body
     */
    static ObjectNode requestBody(ChatRequest request, String model) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.n() != null) {
            body.put("n", request.n());
        }
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        ResponseFormat format = request.responseFormat();
        if (format != null) {
            ObjectNode responseFormat = body.putObject("response_format");
            responseFormat.put("type", "json_schema");
            ObjectNode schema = responseFormat.putObject("json_schema");
            schema.put("name", format.name());
            schema.set("schema", format.schema().deepCopy());
            schema.put("strict", format.strict());
        }
        return body;
    }

    /**
     * The body's bytes as sent.
     *
     * @param body the body
     * @return UTF-8 JSON
     */
    static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * Parses a chat-completion response.
     *
     * @param text the body
     * @param fallbackModel the model name to use when the body names none
     * @return the response
     * @throws ChatException of kind {@link ChatException.Kind#MALFORMED_RESPONSE} when the body
     *     is not JSON or lacks choices, or {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when a
     *     choice has no text (a refusal)
     */
    static ChatResponse parseResponse(String text, String fallbackModel) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the body; the caller adds a scrubbed excerpt instead.
            throw malformed("the body is not JSON (" + text.length() + " chars, error at line "
                    + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body is not a JSON object");
        }
        JsonNode choicesNode = root.get("choices");
        if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
            throw malformed("the body has no 'choices' array");
        }
        List<JsonNode> ordered = new ArrayList<>();
        choicesNode.forEach(ordered::add);
        ordered.sort(Comparator.comparingInt(c -> c.path("index").asInt(0)));
        List<ChatChoice> choices = new ArrayList<>();
        for (JsonNode choice : ordered) {
            String content = content(choice.path("message").get("content"));
            if (content == null) {
                String refusal = choice.path("message").path("refusal").asText("");
                throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT,
                        "choice " + choice.path("index").asInt(choices.size()) + " has no text content"
                                + (refusal.isEmpty() ? "" : " (refusal: " + clip(refusal, 200) + ")"));
            }
            JsonNode finish = choice.get("finish_reason");
            choices.add(new ChatChoice(content, finish == null || finish.isNull() ? null : finish.asText()));
        }
        JsonNode usageNode = root.path("usage");
        TokenUsage usage = new TokenUsage(Math.max(0, usageNode.path("prompt_tokens").asLong(0)),
                Math.max(0, usageNode.path("completion_tokens").asLong(0)));
        String model = root.path("model").asText("");
        return new ChatResponse(model.isEmpty() ? fallbackModel : model, choices, usage, false);
    }

    /**
     * A response in the chat-completions shape, as the cache stores it.
     *
     * @param response the response
     * @return the JSON
     */
    static ObjectNode responseJson(ChatResponse response) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("object", "chat.completion");
        root.put("model", response.model());
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < response.choices().size(); i++) {
            ChatChoice choice = response.choices().get(i);
            ObjectNode node = choices.addObject();
            node.put("index", i);
            node.putObject("message").put("role", "assistant").put("content", choice.content());
            if (choice.finishReason() == null) {
                node.putNull("finish_reason");
            } else {
                node.put("finish_reason", choice.finishReason());
            }
        }
        root.putObject("usage").put("prompt_tokens", response.usage().promptTokens())
                .put("completion_tokens", response.usage().completionTokens())
                .put("total_tokens", response.usage().totalTokens());
        return root;
    }

    /** Text content: a string, or an array of {@code {type: text, text}} parts; null when absent. */
    private static String content(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : node) {
                text.append(part.isTextual() ? part.asText() : part.path("text").asText(""));
            }
            return text.toString();
        }
        throw malformed("a choice's 'content' is neither text nor a list of parts");
    }

    private static ChatException malformed(String message) {
        return new ChatException(ChatException.Kind.MALFORMED_RESPONSE, message);
    }

    /** At most {@code max} characters, whitespace runs collapsed, with an ellipsis when cut. */
    static String clip(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > max ? flat.substring(0, max) + "..." : flat;
    }
}
