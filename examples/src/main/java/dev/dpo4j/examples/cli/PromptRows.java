package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.model.TokenIds;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an input row into token ids: {@code prompt_ids} as given; a {@code prompt} string encoded with
 * the tokenizer's special tokens (an empty prompt is BOS alone); {@code messages} or a message-list
 * {@code prompt} rendered with the chat template and its generation prompt. Errors name file and line.
 */
final class PromptRows {
    private PromptRows() {
    }

    /** True when the row gives token ids rather than text. */
    static boolean isIdRow(JsonlRow row) {
        return row.has("prompt_ids");
    }

    /**
     * The prompt ids of a row, checked against the vocabulary.
     *
     * @param row the input row
     * @param lm the model
     * @return prompt ids
     */
    static long[] promptIds(JsonlRow row, CausalLm lm) {
        long[] ids;
        if (row.has("prompt_ids")) {
            ids = row.longArray("prompt_ids");
        } else if (row.has("messages") || (row.has("prompt") && row.value().get("prompt").isArray())) {
            String field = row.has("messages") ? "messages" : "prompt";
            String text = tokenizer(row, lm).applyChatTemplate(messages(row, field), true);
            ids = tokenizer(row, lm).encodePrompt(text);
        } else if (row.has("prompt")) {
            Tokenizer tok = tokenizer(row, lm);
            ids = tok.encodePrompt(row.requireText("prompt"));
            if (ids.length == 0 && tok.bosTokenId().isPresent()) {
                ids = new long[] {tok.bosTokenId().getAsLong()};
            }
        } else {
            throw row.error("expected 'prompt_ids', 'prompt' or 'messages'");
        }
        checkIds(row, "prompt_ids", ids, lm);
        return ids;
    }

    /**
     * Fails with file:line when an id is outside the model's vocabulary.
     *
     * @param row the row
     * @param field the field named in the error
     * @param ids the ids
     * @param lm the model
     */
    static void checkIds(JsonlRow row, String field, long[] ids, CausalLm lm) {
        try {
            TokenIds.check(ids, lm.model().config().vocabSize(), field);
        } catch (IllegalArgumentException e) {
            throw row.error(e.getMessage());
        }
    }

    /**
     * The model's tokenizer, or an error naming the row that needed it.
     *
     * @param row the row with text
     * @param lm the model
     * @return the tokenizer
     */
    static Tokenizer tokenizer(JsonlRow row, CausalLm lm) {
        return lm.tokenizer().orElseThrow(() -> row.error("text rows need a tokenizer, but " + lm.directory()
                + " has no tokenizer.json; give token ids ('prompt_ids') instead"));
    }

    private static List<ChatMessage> messages(JsonlRow row, String field) {
        JsonNode node = row.value().get(field);
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw row.error("field '" + field + "'[" + i + "] must be an object with string 'role' and 'content'");
            }
            out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        return out;
    }
}
