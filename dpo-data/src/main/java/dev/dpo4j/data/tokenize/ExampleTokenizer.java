package dev.dpo4j.data.tokenize;

import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.ChatTemplateException;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.data.format.Content;
import dev.dpo4j.data.format.ImplicitPrompt;
import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an example's prompt and completions, text or chat messages, into exactly the token ids training
 * feeds: the one tokenization that {@link PairReader}, {@link SftReader} and {@code data prepare}'s length
 * filters share, so the count a filter checks is the count a trainer sees.
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
public final class ExampleTokenizer {

    private static final String PROMPT = "prompt";
    private static final String CHOSEN = "chosen";
    private static final String REJECTED = "rejected";

    private final Tokenizer tokenizer;
    private final int vocabSize;
    private final List<String> eosTexts;

    /**
     * Creates the encoder.
     *
     * @param tokenizer the tokenizer, or null when every row carries token ids
     * @param vocabSize the model's vocabulary size, or 0 when unknown
     */
    public ExampleTokenizer(Tokenizer tokenizer, int vocabSize) {
        if (vocabSize < 0) {
            throw new IllegalArgumentException("vocabSize must be >= 0 (0 = unknown), got " + vocabSize);
        }
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.eosTexts = tokenizer == null ? List.of() : eosTexts(tokenizer);
    }

    /**
     * Tokenizes a preference example as {@code DPOTrainer} feeds it, before truncation.
     *
     * @param row the row the example came from, for errors
     * @param example the prompt and completions, all text or all messages
     * @return the pair
     * @throws DatasetException naming the row and field when a part cannot be tokenized
     */
    public PreferencePair pair(DataRow row, PreferenceExample example) {
        Content prompt = example.prompt();
        if (prompt instanceof Content.Messages messages) {
            if (messages.messages().isEmpty()) {
                throw row.error("field 'chosen' and field 'rejected' share no leading messages, so there is no"
                        + " implicit prompt; add a 'prompt' field");
            }
            ChatTexts texts = renderChat(row, PROMPT, messages.messages(), true, List.of(CHOSEN, REJECTED),
                    List.of(messages(row, CHOSEN, example.chosen()), messages(row, REJECTED, example.rejected())));
            long[] chosen = completion(row, CHOSEN, texts.completions().get(0));
            long[] rejected = completion(row, REJECTED, texts.completions().get(1));
            return new PreferencePair(prompt(row, PROMPT, texts.prompt()), chosen, rejected);
        }
        long[] chosen = completion(row, CHOSEN, text(row, CHOSEN, example.chosen()));
        long[] rejected = completion(row, REJECTED, text(row, REJECTED, example.rejected()));
        return new PreferencePair(prompt(row, PROMPT, prompt.flatText()), chosen, rejected);
    }

    /**
     * Tokenizes a supervised example as {@code SFTTrainer} feeds it, before truncation.
     *
     * @param row the row, for errors
     * @param promptField the field the prompt came from
     * @param prompt the prompt, text or messages
     * @param completionField the field the completion came from
     * @param completion the completion, of the prompt's kind
     * @return the example
     * @throws DatasetException naming the row and field when a part cannot be tokenized
     */
    public SftExample sft(DataRow row, String promptField, Content prompt, String completionField, Content completion) {
        if (prompt instanceof Content.Messages messages) {
            ChatTexts texts = renderChat(row, promptField, messages.messages(), false, List.of(completionField),
                    List.of(messages(row, completionField, completion)));
            long[] completionIds = completion(row, completionField, texts.completions().get(0));
            return new SftExample(prompt(row, promptField, texts.prompt()), completionIds);
        }
        long[] completionIds = completion(row, completionField, text(row, completionField, completion));
        return new SftExample(prompt(row, promptField, prompt.flatText()), completionIds);
    }

    /**
     * Encodes a prompt text.
     *
     * @param row the row, for errors
     * @param field the field the text came from
     * @param text the prompt text (may be empty for an implicit prompt)
     * @return the ids, at least one
     */
    private long[] prompt(DataRow row, String field, String text) {
        long[] ids = require(row, field).encodePrompt(text);
        if (ids.length == 0) {
            throw row.error("field '" + field + "' gives no prompt tokens: the prompt is empty and the tokenizer adds"
                    + " no BOS token");
        }
        TokenIds.checkVocab(row, field, ids, vocabSize, " (an id from the tokenizer, which is larger than the model)");
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
    private long[] completion(DataRow row, String field, String text) {
        if (text.isBlank()) {
            throw row.error("field '" + field + "' is an empty completion");
        }
        Tokenizer t = require(row, field);
        boolean appendEos = !endsWithEos(text);
        if (appendEos && t.eosTokenIds().length == 0) {
            throw row.error("field '" + field + "': the tokenizer has no EOS token to end the completion with");
        }
        long[] ids = t.encodeCompletion(text, appendEos);
        TokenIds.checkVocab(row, field, ids, vocabSize, " (an id from the tokenizer, which is larger than the model)");
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
    private ChatTexts renderChat(DataRow row, String promptField, List<ChatMessage> prompt, boolean continueFinalAssistant,
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

    private String renderPrompt(DataRow row, String field, List<ChatMessage> prompt, boolean continueFinalAssistant) {
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

    private String render(DataRow row, String field, List<ChatMessage> messages, boolean addGenerationPrompt) {
        try {
            return tokenizer.applyChatTemplate(messages, addGenerationPrompt);
        } catch (ChatTemplateException e) {
            throw new DatasetException(row.source(), row.line(),
                    "field '" + field + "': the chat template failed: " + e.getMessage(), e);
        }
    }

    private Tokenizer require(DataRow row, String field) {
        if (tokenizer == null) {
            throw row.error("field '" + field + "' is text or chat messages, which need a tokenizer; pass one to the"
                    + " reader, or give token ids (the *_ids fields)");
        }
        return tokenizer;
    }

    private static List<ChatMessage> messages(DataRow row, String field, Content content) {
        if (content instanceof Content.Messages messages) {
            return messages.messages();
        }
        throw row.error("field '" + field + "' must be a list of messages like the row's other fields, found a string");
    }

    private static String text(DataRow row, String field, Content content) {
        if (content instanceof Content.Text text) {
            return text.text();
        }
        throw row.error("field '" + field + "' must be a string like the row's other fields, found a list of messages");
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
    private record ChatTexts(String prompt, List<String> completions) {
    }
}
