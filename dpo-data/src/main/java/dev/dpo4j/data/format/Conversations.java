package dev.dpo4j.data.format;

import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.List;
import java.util.Set;

/** Splits a chosen/rejected pair of whole conversations into prompt and last answers. */
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
     * Checks that a conversation is non-empty and ends with the assistant's answer.
     *
     * @param row the row, for errors
     * @param field the column
     * @param messages the conversation
     */
    static void checkEndsWithAssistant(DataRow row, String field, List<ChatMessage> messages) {
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
