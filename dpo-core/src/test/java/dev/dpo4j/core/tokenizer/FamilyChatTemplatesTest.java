package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat templates of Qwen3 (and Qwen3-Thinking-2507), Gemma 2, Gemma 3, Phi-3-mini, Phi-3.5-mini and
 * Phi-4-mini render as transformers renders them: {@code chat-templates/expected.json} holds Jinja2's
 * output for each case (made by {@code chat-templates/generate.py} with transformers' environment),
 * including the exceptions the templates raise. Messages go in as the dicts Jinja2 saw, so Qwen3's
 * {@code reasoning_content} and {@code tool_calls} fields are exercised too.
 */
class FamilyChatTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String[]> TOKENS = Map.of(
            "qwen3", new String[] {null, "<|im_end|>"},
            "gemma2", new String[] {"<bos>", "<eos>"},
            "gemma3", new String[] {"<bos>", "<eos>"},
            "qwen3-thinking-2507", new String[] {null, "<|im_end|>"},
            "phi3-mini", new String[] {"<s>", "<|endoftext|>"},
            "phi3.5-mini", new String[] {"<s>", "<|endoftext|>"},
            "phi4-mini", new String[] {"<|endoftext|>", "<|endoftext|>"});

    static Stream<Arguments> cases() throws IOException {
        JsonNode root;
        try (InputStream in = resource("expected.json")) {
            root = JSON.readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            out.add(Arguments.of(c.get("family").asText(), c.get("case").asText(), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void rendersAsJinja2(String family, String name, JsonNode c) throws IOException {
        ChatTemplate template = template(family);
        List<Map<String, Object>> messages = JSON.convertValue(c.get("messages"), new TypeReference<>() { });
        Map<String, Object> variables = JSON.convertValue(c.get("variables"), new TypeReference<>() { });
        boolean prompt = c.get("add_generation_prompt").asBoolean();
        if (c.has("error")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> template.renderMessages(messages, prompt, variables));
            assertEquals(c.get("error").asText(), e.getMessage());
        } else {
            assertEquals(c.get("text").asText(), template.renderMessages(messages, prompt, variables));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("plainCases")
    void chatMessageRecordsRenderAsTheirDicts(String family, String name, JsonNode c) throws IOException {
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : c.get("messages")) {
            messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        Map<String, Object> variables = JSON.convertValue(c.get("variables"), new TypeReference<>() { });
        assertEquals(c.get("text").asText(),
                template(family).render(messages, c.get("add_generation_prompt").asBoolean(), variables));
    }

    /** The rendered cases whose messages have only role and content, as a {@link ChatMessage} holds. */
    static Stream<Arguments> plainCases() throws IOException {
        return cases().filter(a -> {
            JsonNode c = (JsonNode) a.get()[2];
            boolean plain = true;
            for (JsonNode m : c.get("messages")) {
                plain &= m.size() == 2 && m.has("role") && m.has("content");
            }
            return plain && c.has("text");
        });
    }

    private static ChatTemplate template(String family) throws IOException {
        try (InputStream in = resource(family + ".jinja")) {
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return ChatTemplate.of(source, TOKENS.get(family)[0], TOKENS.get(family)[1]);
        }
    }

    static InputStream resource(String name) {
        InputStream in = FamilyChatTemplatesTest.class.getResourceAsStream("/chat-templates/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource chat-templates/" + name);
        }
        return in;
    }
}
