package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat templates of Qwen3, Gemma 2, Gemma 3, Phi-3/3.5-mini and Phi-4-mini render as transformers
 * renders them: {@code chat-templates/expected.json} holds Jinja2's output for each case (made by
 * {@code chat-templates/generate.py} with transformers' environment), including the exceptions the
 * templates raise.
 */
class FamilyChatTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String[]> TOKENS = Map.of(
            "qwen3", new String[] {null, "<|im_end|>"},
            "gemma2", new String[] {"<bos>", "<eos>"},
            "gemma3", new String[] {"<bos>", "<eos>"},
            "phi3", new String[] {"<s>", "<|endoftext|>"},
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
        String source;
        try (InputStream in = resource(family + ".jinja")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ChatTemplate template = ChatTemplate.of(source, TOKENS.get(family)[0], TOKENS.get(family)[1]);
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : c.get("messages")) {
            messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        c.get("variables").fields().forEachRemaining(e -> variables.put(e.getKey(),
                e.getValue().isBoolean() ? e.getValue().booleanValue() : e.getValue().asText()));
        boolean prompt = c.get("add_generation_prompt").asBoolean();
        if (c.has("error")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> template.render(messages, prompt, variables));
            assertTrue(e.getMessage().contains(c.get("error").asText()), e.getMessage());
        } else {
            assertEquals(c.get("text").asText(), template.render(messages, prompt, variables));
        }
    }

    private static InputStream resource(String name) {
        InputStream in = FamilyChatTemplatesTest.class.getResourceAsStream("/chat-templates/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource chat-templates/" + name);
        }
        return in;
    }
}
