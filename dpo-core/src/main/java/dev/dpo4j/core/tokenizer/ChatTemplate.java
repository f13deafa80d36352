package dev.dpo4j.core.tokenizer;

import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Hugging Face chat template (Jinja), rendered with Jinjava so that the result is byte-for-byte
 * what {@code transformers}' {@code tokenizer.apply_chat_template(messages, tokenize=False,
 * add_generation_prompt=…)} returns.
 *
 * <p>The template sees the variables Hugging Face passes: {@code messages} (a list of maps with
 * {@code role} and {@code content}, so both {@code message['content']} and {@code message.content}
 * work), {@code add_generation_prompt}, {@code bos_token} and {@code eos_token} (undefined when the
 * tokenizer has none), {@code tools} (undefined: no tools), and the functions
 * {@code raise_exception(msg)} and {@code strftime_now(fmt)}. Rendering follows Jinja2 with
 * {@code trim_blocks=True, lstrip_blocks=True}; the Python-compatibility shims are described in
 * {@code JinjaShims}.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class ChatTemplate {

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final String prepared;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.prepared = JinjaShims.preprocess(source);
    }

    /**
     * Creates a template from its Jinja source.
     *
     * @param source the template text, as in {@code tokenizer_config.json} or {@code chat_template.jinja}
     * @param bosToken the value of {@code bos_token}, or null when the tokenizer has none
     * @param eosToken the value of {@code eos_token}, or null when the tokenizer has none
     * @return the template
     * @throws ChatTemplateException when the template uses a filter the engine lacks or is malformed
     */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        Objects.requireNonNull(source, "chat template source must not be null");
        return new ChatTemplate(source, bosToken, eosToken);
    }

    /**
     * Reads a model directory's chat template: {@code chat_template.jinja} if present, else the
     * {@code chat_template} of {@code tokenizer_config.json}, with the BOS/EOS token text from the
     * tokenizer files. Works without a {@code tokenizer.json}.
     *
     * @param modelDir a Hugging Face model or tokenizer directory
     * @return the template, or empty when the directory defines none
     * @throws java.io.UncheckedIOException when a file cannot be read or parsed
     */
    public static Optional<ChatTemplate> load(Path modelDir) {
        TokenizerSettings settings = TokenizerSettings.load(modelDir);
        return Optional.ofNullable(settings.chatTemplate())
                .map(t -> of(t, settings.bosToken(), settings.eosToken()));
    }

    /**
     * The template text as Hugging Face stores it.
     *
     * @return the Jinja source
     */
    public String source() {
        return source;
    }

    /**
     * The value passed as {@code bos_token}.
     *
     * @return the BOS text, or null
     */
    public String bosToken() {
        return bosToken;
    }

    /**
     * The value passed as {@code eos_token}.
     *
     * @return the EOS text, or null
     */
    public String eosToken() {
        return eosToken;
    }

    /**
     * Renders a conversation.
     *
     * @param messages the conversation, oldest first
     * @param addGenerationPrompt whether to end with the header that opens an assistant turn
     * @return the prompt text, exactly as Hugging Face renders it
     * @throws ChatTemplateException when the template calls {@code raise_exception} or fails
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation with extra template variables, as transformers passes the keyword arguments
     * of {@code apply_chat_template(..., **kwargs)} (TRL's {@code chat_template_kwargs}), such as Qwen3's
     * {@code enable_thinking=False}.
     *
     * @param messages the conversation, in order
     * @param addGenerationPrompt whether to end with the template's assistant prompt
     * @param variables more variables for the template; they may not replace {@code messages},
     *     {@code add_generation_prompt}, {@code bos_token} or {@code eos_token}
     * @return the rendered text
     * @throws ChatTemplateException when the template raises an exception or fails to render
     * @throws IllegalArgumentException when a variable would replace one of the four above
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Objects.requireNonNull(messages, "messages must not be null");
        List<Map<String, Object>> messageMaps = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            messageMaps.add(map);
        }
        return renderMessages(messageMaps, addGenerationPrompt, variables);
    }

    /**
     * Renders a conversation given as Hugging Face message dicts, which may carry more than
     * {@code role} and {@code content}: Qwen3's template reads an assistant message's
     * {@code reasoning_content} and {@code tool_calls}, and a {@code tool} role's result.
     *
     * @param messages the conversation, in order; each map's keys are the template's message fields
     *     (values: strings, numbers, booleans, null, lists and maps of those)
     * @param addGenerationPrompt whether to end with the template's assistant prompt
     * @param variables more variables for the template, as in {@link #render(List, boolean, Map)}
     * @return the rendered text
     * @throws ChatTemplateException when the template raises an exception or fails to render
     * @throws IllegalArgumentException when a variable would replace one the renderer sets
     */
    public String renderMessages(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt,
            Map<String, ?> variables) {
        Objects.requireNonNull(messages, "messages must not be null");
        Objects.requireNonNull(variables, "variables must not be null (pass Map.of())");
        for (String reserved : List.of("messages", "add_generation_prompt", "bos_token", "eos_token")) {
            if (variables.containsKey(reserved)) {
                throw new IllegalArgumentException("chat template variable '" + reserved + "' is set by the renderer");
            }
        }
        Map<String, Object> context = new HashMap<>(variables);
        context.put("messages", new ArrayList<>(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        if (bosToken != null) {
            context.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            context.put("eos_token", eosToken);
        }
        JinjaShims.clearRaised();
        RenderResult result = JinjaShims.engine().renderForResult(prepared, context);
        String raised = JinjaShims.takeRaised();
        if (raised != null) {
            throw new ChatTemplateException(raised);
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .collect(Collectors.toList());
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException("Chat template failed to render: " + fatal.stream()
                    .map(e -> e.getMessage() + " (line " + e.getLineno() + ")")
                    .collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }
}
