package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Renders the real chat templates of TinyLlama-Chat, SmolLM2 and Qwen2.5-Instruct and compares
 * them with the text Hugging Face's Jinja2 ({@code trim_blocks=True, lstrip_blocks=True},
 * {@code keep_trailing_newline=False}) produces. Each expected string is derived from the
 * template text in the comment above it.
 */
class ChatTemplateRealTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are a friendly chatbot."),
            ChatMessage.user("What is 2+2?"),
            ChatMessage.assistant("2+2 equals 4."));

    /*
     * TinyLlama's template, one tag per line:
     *   {% for message in messages %}\n {% if message['role'] == 'user' %}\n
     *   {{ '<|user|>\n' + message['content'] + eos_token }}\n {% elif … 'system' %}\n
     *   {{ '<|system|>\n' + … + eos_token }}\n {% elif … 'assistant' %}\n
     *   {{ '<|assistant|>\n'  + … + eos_token }}\n {% endif %}\n
     *   {% if loop.last and add_generation_prompt %}\n {{ '<|assistant|>' }}\n {% endif %}\n {% endfor %}
     * trim_blocks eats the newline after every {% %} tag, but the newline after each {{ }} line
     * stays. So each message renders as "<|role|>\n" + content + "</s>" + "\n", and the generation
     * prompt (emitted inside the loop, after the last message) as "<|assistant|>" + "\n".
     */
    private static final String TINYLLAMA = "<|system|>\nYou are a friendly chatbot.</s>\n"
            + "<|user|>\nWhat is 2+2?</s>\n"
            + "<|assistant|>\n2+2 equals 4.</s>\n";
    private static final String TINYLLAMA_GEN = TINYLLAMA + "<|assistant|>\n";

    /*
     * SmolLM2 (TRL's ChatML): {% for message in messages %}{{'<|im_start|>' + message['role'] + '\n'
     * + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}
     * {{ '<|im_start|>assistant\n' }}{% endif %} — no text between tags, so every message is
     * "<|im_start|>role\ncontent<|im_end|>\n" and the generation prompt "<|im_start|>assistant\n".
     */
    private static final String SMOLLM2 = "<|im_start|>system\nYou are a friendly chatbot.<|im_end|>\n"
            + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n2+2 equals 4.<|im_end|>\n";

    /*
     * Qwen2.5, no tools: every tag is {%- or {{- so all template whitespace disappears.
     * `if tools` is false → else-branch: messages[0] is system → '<|im_start|>system\n' + content +
     * '<|im_end|>\n'; otherwise the default 'You are Qwen, created by Alibaba Cloud. You are a
     * helpful assistant.' in the same frame. In the loop the first system message matches no branch
     * (role == "system" and not loop.first is false); user and assistant (no tool_calls) render as
     * '<|im_start|>' + role + '\n' + content + '<|im_end|>' + '\n'. add_generation_prompt appends
     * '<|im_start|>assistant\n'. The template's final newline follows {%- endif %} and is dropped.
     */
    private static final String QWEN_USER_ASSISTANT = "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n2+2 equals 4.<|im_end|>\n";
    private static final String QWEN_WITH_SYSTEM =
            "<|im_start|>system\nYou are a friendly chatbot.<|im_end|>\n" + QWEN_USER_ASSISTANT;
    private static final String QWEN_DEFAULT_SYSTEM = "<|im_start|>system\nYou are Qwen, created by "
            + "Alibaba Cloud. You are a helpful assistant.<|im_end|>\n" + QWEN_USER_ASSISTANT;

    @Test
    void tinyLlamaInlineTemplateFromTokenizerConfig() throws IOException {
        Path dir = RealTokenizerFixtures.tokenizer("TinyLlama-1.1B-Chat-v1.0");
        String inline = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile())
                .get("chat_template").asText();
        ChatTemplate template = ChatTemplate.of(inline, "<s>", "</s>");
        assertEquals(TINYLLAMA, template.render(CONVERSATION, false));
        assertEquals(TINYLLAMA_GEN, template.render(CONVERSATION, true));
    }

    @Test
    void tinyLlamaTemplateFileWinsAndRendersTheSame() throws IOException {
        Path dir = RealTokenizerFixtures.tokenizer("TinyLlama-1.1B-Chat-v1.0");
        ChatTemplate template = ChatTemplate.load(dir).orElseThrow();
        assertEquals(Files.readString(dir.resolve("chat_template.jinja")), template.source());
        assertEquals("</s>", template.eosToken());
        assertEquals(TINYLLAMA, template.render(CONVERSATION, false));
        assertEquals(TINYLLAMA_GEN, template.render(CONVERSATION, true));
    }

    @Test
    void smolLm2ChatMl() {
        ChatTemplate template = ChatTemplate.load(RealTokenizerFixtures.tokenizer("SmolLM2-135M")).orElseThrow();
        assertEquals(SMOLLM2, template.render(CONVERSATION, false));
        assertEquals(SMOLLM2 + "<|im_start|>assistant\n", template.render(CONVERSATION, true));
    }

    @Test
    void qwenWithSystemMessage() {
        ChatTemplate template = ChatTemplate.load(RealTokenizerFixtures.tokenizer("Qwen2.5-Instruct")).orElseThrow();
        assertEquals(QWEN_WITH_SYSTEM, template.render(CONVERSATION, false));
        assertEquals(QWEN_WITH_SYSTEM + "<|im_start|>assistant\n", template.render(CONVERSATION, true));
    }

    @Test
    void qwenWithoutSystemMessageInsertsDefaultSystemPrompt() {
        ChatTemplate template = ChatTemplate.load(RealTokenizerFixtures.tokenizer("Qwen2.5-Instruct")).orElseThrow();
        List<ChatMessage> noSystem = CONVERSATION.subList(1, 3);
        assertEquals(QWEN_DEFAULT_SYSTEM, template.render(noSystem, false));
        assertEquals(QWEN_DEFAULT_SYSTEM + "<|im_start|>assistant\n", template.render(noSystem, true));
    }

    @Test
    void qwenLaterSystemMessageIsRenderedInPlace() {
        // (message.role == "system" and not loop.first) is true for a system message that is not
        // first, so it renders as an ordinary turn after the default system prompt.
        ChatTemplate template = ChatTemplate.load(RealTokenizerFixtures.tokenizer("Qwen2.5-Instruct")).orElseThrow();
        String out = template.render(List.of(ChatMessage.user("Hi"), ChatMessage.system("Be brief.")), false);
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
                + "assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>system\nBe brief.<|im_end|>\n", out);
    }
}
