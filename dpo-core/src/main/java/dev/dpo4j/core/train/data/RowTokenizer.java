package dev.dpo4j.core.train.data;

import dev.dpo4j.core.io.JsonlException;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.ChatTemplateException;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the text and chat-message fields of a TRL row into token ids, with the rules shared by
 * {@link PairReader} and {@link SftReader}.
 *
 * <ul>
 *   <li>A prompt text is encoded with {@link Tokenizer#encodePrompt}: with the tokenizer's special
 *       tokens (one BOS where it adds one), and without them when the text already starts with the BOS
 *       text, as a chat template that writes {@code {{ bos_token }}} makes it, so there is one BOS.</li>
 *   <li>A completion text is encoded with {@link Tokenizer#encodeCompletion} (no special tokens) and
 *       EOS appended, as TRL does, <em>unless</em> the text already ends, ignoring trailing whitespace,
 *       with the text of an EOS-like token ({@link Tokenizer#eosTokenIds()}, which includes
 *       {@code generation_config.json}'s end-of-turn ids, or {@link Tokenizer#eosToken()}). A chat
 *       template closes each assistant turn that way ({@code "Hi<|im_end|>\n"},
 *       {@code "Hi</s>\n"}), so a rendered completion keeps exactly what the template wrote, the
 *       newline after the end-of-turn token included, and carries one EOS, where TRL would add a second.</li>
 *   <li>Chat messages are rendered as TRL's {@code maybe_apply_chat_template}: the prompt with
 *       {@code add_generation_prompt=True} (or, when its last message is the assistant's, ending inside
 *       that message as {@code continue_final_message} does), each completion as the template of
 *       prompt plus completion messages, minus the prompt text. The prompt text is cut back to the
 *       longest prefix it shares with every full rendering, so a template whose generation prompt
 *       differs from its rendered turn still splits exactly.</li>
 * </ul>
 * Every id is checked against the model's vocabulary size when it is known.
 */
final class RowTokenizer {

    private final Tokenizer tokenizer;
    private final int vocabSize;
    private final List<String> eosTexts;

    /**
     * Creates the encoder.
     *
     * @param tokenizer the tokenizer, or null when every row carries token ids
     * @param vocabSize the model's vocabulary size, or 0 when unknown
     */
    RowTokenizer(Tokenizer tokenizer, int vocabSize) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.eosTexts = tokenizer == null ? List.of() : eosTexts(tokenizer);
    }

    /**
     * Encodes a prompt text.
     *
     * @param row the row, for errors
     * @param field the field the text came from
     * @param text the prompt text (may be empty for an implicit prompt)
     * @return the ids, at least one
     */
    long[] prompt(JsonlRow row, String field, String text) {
        long[] ids = require(row, field).encodePrompt(text);
        if (ids.length == 0) {
            throw row.error("field '" + field + "' gives no prompt tokens: the prompt is empty and the tokenizer adds"
                    + " no BOS token");
        }
        RowFields.checkVocab(row, field, ids, vocabSize, " (an id from the tokenizer, which is larger than the model)");
        return ids;
    }

    /**
     * Encodes a completion text, appending EOS unless it already ends with an EOS-like token.
     *
     * @param row the row, for errors
     * @param field the field the text came from
     * @param text the completion text
     * @return the ids, at least one
     */
    long[] completion(JsonlRow row, String field, String text) {
        if (text.isBlank()) {
            throw row.error("field '" + field + "' is an empty completion");
        }
        Tokenizer t = require(row, field);
        boolean appendEos = !endsWithEos(text);
        if (appendEos && t.eosTokenIds().length == 0) {
            throw row.error("field '" + field + "': the tokenizer has no EOS token to end the completion with");
        }
        long[] ids = t.encodeCompletion(text, appendEos);
        RowFields.checkVocab(row, field, ids, vocabSize, " (an id from the tokenizer, which is larger than the model)");
        return ids;
    }

    /**
     * Renders a conversation's prompt and completions with the chat template, as described in the class
     * comment.
     *
     * @param row the row, for errors
     * @param promptField the field named when the prompt is at fault (or the template is missing)
     * @param prompt the prompt messages, at least one unless the template renders an empty conversation
     * @param continueFinalAssistant whether a prompt ending with an assistant message is continued (DPO)
     *     rather than followed by a generation prompt (SFT)
     * @param fields the field of each completion, for errors
     * @param completions the completion messages of each field
     * @return the prompt text and one completion text per field
     */
    ChatTexts renderChat(JsonlRow row, String promptField, List<ChatMessage> prompt, boolean continueFinalAssistant,
            List<String> fields, List<List<ChatMessage>> completions) {
        Tokenizer t = require(row, promptField);
        if (t.chatTemplate().isEmpty()) {
            throw row.error("field '" + promptField + "' holds chat messages, but the tokenizer has no chat template"
                    + " (none in chat_template.jinja or tokenizer_config.json); give text instead or use a chat model's"
                    + " tokenizer");
        }
        String promptText = renderPrompt(row, promptField, prompt, continueFinalAssistant);
        String[] full = new String[completions.size()];
        for (int i = 0; i < full.length; i++) {
            List<ChatMessage> conversation = new ArrayList<>(prompt);
            conversation.addAll(completions.get(i));
            full[i] = render(row, fields.get(i), conversation, false);
        }
        int shared = ImplicitPrompt.commonPrefixLength(promptText, full);
        List<String> texts = new ArrayList<>(full.length);
        for (int i = 0; i < full.length; i++) {
            String completion = full[i].substring(shared);
            if (completion.isBlank()) {
                throw row.error("field '" + fields.get(i) + "' renders to nothing after the prompt with the chat template");
            }
            texts.add(completion);
        }
        return new ChatTexts(promptText.substring(0, shared), texts);
    }

    /**
     * Returns whether a text ends, ignoring trailing whitespace, with an EOS-like token's text.
     *
     * @param text the completion text
     * @return {@code true} if no EOS should be appended
     */
    boolean endsWithEos(String text) {
        String trimmed = text.stripTrailing();
        for (String eos : eosTexts) {
            if (trimmed.endsWith(eos)) {
                return true;
            }
        }
        return false;
    }

    private String renderPrompt(JsonlRow row, String field, List<ChatMessage> prompt, boolean continueFinalAssistant) {
        boolean continueLast = continueFinalAssistant && !prompt.isEmpty()
                && "assistant".equals(prompt.get(prompt.size() - 1).role());
        if (!continueLast) {
            return render(row, field, prompt, true);
        }
        String rendered = render(row, field, prompt, false);
        String last = prompt.get(prompt.size() - 1).content().strip();
        int at = last.isEmpty() ? -1 : rendered.lastIndexOf(last);
        if (at < 0) {
            throw row.error("field '" + field + "': the prompt ends with an assistant message to continue, but the"
                    + " chat template does not render its content");
        }
        return rendered.substring(0, at + last.length());
    }

    private String render(JsonlRow row, String field, List<ChatMessage> messages, boolean addGenerationPrompt) {
        try {
            return tokenizer.applyChatTemplate(messages, addGenerationPrompt);
        } catch (ChatTemplateException e) {
            throw new JsonlException(row.source(), row.lineNumber(),
                    "field '" + field + "': the chat template failed: " + e.getMessage(), e);
        }
    }

    private Tokenizer require(JsonlRow row, String field) {
        if (tokenizer == null) {
            throw row.error("field '" + field + "' is text or chat messages, which need a tokenizer; pass one to the"
                    + " reader, or give token ids (the *_ids fields)");
        }
        return tokenizer;
    }

    private static List<String> eosTexts(Tokenizer tokenizer) {
        Set<String> texts = new LinkedHashSet<>();
        if (tokenizer.eosToken() != null) {
            texts.add(tokenizer.eosToken());
        }
        for (long id : tokenizer.eosTokenIds()) {
            texts.add(tokenizer.decode(new long[] {id}, false));
        }
        texts.removeIf(String::isBlank);
        return List.copyOf(texts);
    }

    /**
     * A rendered conversation split into prompt and completion texts.
     *
     * @param prompt the prompt text
     * @param completions one completion text per completion field, in order
     */
    record ChatTexts(String prompt, List<String> completions) {
    }
}
