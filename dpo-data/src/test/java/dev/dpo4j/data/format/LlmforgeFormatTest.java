package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.messages;
import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmforgeFormatTest {

    /** The shape the llmforge summarization template writes (texts shortened), with a system turn. */
    private static final String ROW = "{'chosen': [{'role': 'system', 'content': 'Be brief.'},"
            + " {'role': 'user', 'content': 'Summarize: text'}, {'role': 'assistant', 'content': 'Short.'}],"
            + " 'rejected': [{'role': 'system', 'content': 'Be brief.'},"
            + " {'role': 'user', 'content': 'Summarize: text'}, {'role': 'assistant', 'content': 'Long and wrong.'}],"
            + " 'num_words_chosen': 1, 'num_words_rejected': 3, 'accuracy_chosen': 4, 'accuracy_rejected': 1}";

    private final LlmforgeFormat format = new LlmforgeFormat();

    @Test
    void promptIsEveryTurnBeforeTheLastAssistantMessage() {
        PreferenceExample e = format.adapt(row("train.jsonl", 1, ROW));
        assertEquals(messages("system", "Be brief.", "user", "Summarize: text"), e.prompt());
        assertEquals(messages("assistant", "Short."), e.chosen());
        assertEquals(messages("assistant", "Long and wrong."), e.rejected());
        assertEquals(4, e.metadata().get("accuracy_chosen").asInt());
        assertEquals(4, e.metadata().size());
    }

    @Test
    void conversationsThatDifferBeforeTheLastTurnSplitByTrlsRule() {
        // a system message that differs: no common start, so no prompt (the tokenizer then refuses the row)
        PreferenceExample differ = format.adapt(row("train.jsonl", 31,
                ROW.replace("'rejected': [{'role': 'system', 'content': 'Be brief.'}",
                        "'rejected': [{'role': 'system', 'content': 'Be long.'}")));
        assertEquals(Content.messages(List.of()), differ.prompt());
        // a longer chosen conversation: the common start is empty too, each side keeps all its messages
        PreferenceExample sizes = format.adapt(row("train.jsonl", 32,
                "{'chosen': [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}],"
                        + " 'rejected': [{'role': 'assistant', 'content': 'b'}]}"));
        assertEquals(messages("user", "q", "assistant", "a"), sizes.chosen());
        assertEquals(messages("assistant", "b"), sizes.rejected());
    }

    @Test
    void malformedRowsNameFileLineAndField() {
        DatasetException text = assertThrows(DatasetException.class,
                () -> format.adapt(row("train.jsonl", 33, "{'chosen': 'a', 'rejected': 'b'}")));
        assertTrue(text.getMessage().startsWith("train.jsonl:33: field 'chosen' must be a list of"), text.getMessage());
        DatasetException user = assertThrows(DatasetException.class, () -> format.adapt(row("train.jsonl", 34,
                "{'chosen': [{'role': 'assistant', 'content': 'a'}], 'rejected': [{'role': 'user', 'content': 'b'}]}")));
        assertTrue(user.getMessage().startsWith("train.jsonl:34: 'rejected[0]' must be the assistant's answer"),
                user.getMessage());
    }
}
