package dev.dpo4j.data.format;

import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.Content;
import dev.dpo4j.data.PreferenceExample;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.List;
import java.util.Set;

/** Splits a chosen/rejected pair that holds its prompt inside it into prompt and answers. */
final class Conversations {

    /** The role of the answering turn. */
    static final String ASSISTANT = "assistant";

    private Conversations() {
    }

    /**
     * A pair split into a prompt and two answers.
     *
     * @param prompt the shared part
     * @param chosen the preferred remainder
     * @param rejected the dispreferred remainder
     */
    record Split(Content prompt, Content chosen, Content rejected) {
    }

    /**
     * Splits two whole conversations that must differ only in their last (assistant) message:
     * the prompt is every message before it, the answers are the last messages. This is how
     * UltraFeedback binarized, argilla's cleaned UltraFeedback and llmforge store a pair.
     *
     * @param row the row, for messages
     * @param chosen the preferred conversation ({@code chosen} column)
     * @param rejected the dispreferred conversation ({@code rejected} column)
     * @return the split, each part a message list
     * @throws DatasetException naming the field when a list is empty, does not end with an
     *     assistant message, or the two differ before their last message
     */
    static Split lastTurn(DataRow row, List<ChatMessage> chosen, List<ChatMessage> rejected) {
        checkEndsWithAssistant(row, "chosen", chosen);
        checkEndsWithAssistant(row, "rejected", rejected);
        if (chosen.size() != rejected.size()) {
            throw row.error("'chosen' has " + chosen.size() + " messages and 'rejected' has " + rejected.size()
                    + "; they must share every message before the last (assistant) one");
        }
        int last = chosen.size() - 1;
        for (int i = 0; i < last; i++) {
            if (!chosen.get(i).equals(rejected.get(i))) {
                throw row.error("'chosen[" + i + "]' differs from 'rejected[" + i
                        + "]'; the two must share every message before the last (assistant) one");
            }
        }
        return new Split(Content.messages(chosen.subList(0, last)),
                Content.messages(List.of(chosen.get(last))),
                Content.messages(List.of(rejected.get(last))));
    }

    /**
     * The example of a row whose {@code chosen} and {@code rejected} columns are whole
     * conversations: both read as message lists, split by {@link #lastTurn}, and every column
     * but {@code consumed} kept as metadata.
     *
     * @param row the row
     * @param format the format's name, for the messages' errors
     * @param consumed the columns the example's fields come from
     * @return the example
     * @throws DatasetException naming the field when a column is not a conversation or the two
     *     do not split
     */
    static PreferenceExample lastTurnExample(DataRow row, String format, Set<String> consumed) {
        Split split = lastTurn(row, RowFields.messages(row, "chosen", format), RowFields.messages(row, "rejected", format));
        return new PreferenceExample(split.prompt(), split.chosen(), split.rejected(), RowFields.metadata(row, consumed),
                row.location());
    }

    /**
     * TRL's {@code extract_prompt}: the prompt is the longest common prefix of chosen and
     * rejected (characters for text, whole messages for message lists), and the answers are the
     * remainders. As in TRL, a space just before the first difference goes to the answers, and
     * when one side is a prefix of the other the prefix stops one element short of the shorter
     * side, so each answer keeps at least its last character or message.
     *
     * @param chosen the preferred text or conversation
     * @param rejected the dispreferred text or conversation, of the same kind
     * @return the split, each part of the same kind as the inputs
     */
    static Split extractPrompt(Content chosen, Content rejected) {
        if (chosen instanceof Content.Messages c && rejected instanceof Content.Messages r) {
            int at = commonPrefix(c.messages(), r.messages());
            return new Split(Content.messages(c.messages().subList(0, at)),
                    Content.messages(c.messages().subList(at, c.messages().size())),
                    Content.messages(r.messages().subList(at, r.messages().size())));
        }
        String c = chosen.flatText();
        String r = rejected.flatText();
        int n = Math.min(c.length(), r.length());
        int at = 0;
        while (at < n && c.charAt(at) == r.charAt(at)) {
            at++;
        }
        if (at == n) {
            at = Math.max(0, n - 1);
        } else if (at > 0 && c.charAt(at - 1) == ' ') {
            at--;
        }
        return new Split(Content.text(c.substring(0, at)), Content.text(c.substring(at)), Content.text(r.substring(at)));
    }

    private static int commonPrefix(List<ChatMessage> c, List<ChatMessage> r) {
        int n = Math.min(c.size(), r.size());
        for (int i = 0; i < n; i++) {
            if (!c.get(i).equals(r.get(i))) {
                return i;
            }
        }
        return Math.max(0, n - 1);
    }

    private static void checkEndsWithAssistant(DataRow row, String field, List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            throw row.error("'" + field + "' is an empty list of messages");
        }
        String role = messages.get(messages.size() - 1).role();
        if (!ASSISTANT.equals(role)) {
            throw row.error("'" + field + "[" + (messages.size() - 1) + "]' must be the assistant's answer, but its role is '"
                    + role + "'");
        }
    }
}
