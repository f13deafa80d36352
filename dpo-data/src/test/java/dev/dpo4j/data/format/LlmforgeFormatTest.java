package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.messages;
import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.PreferenceExample;
import dev.dpo4j.data.io.DatasetException;
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
    void malformedRowsNameFileLineAndField() {
        DatasetException differ = assertThrows(DatasetException.class, () -> format.adapt(row("train.jsonl", 31,
                ROW.replace("'rejected': [{'role': 'system', 'content': 'Be brief.'}",
                        "'rejected': [{'role': 'system', 'content': 'Be long.'}"))));
        assertTrue(differ.getMessage().startsWith("train.jsonl:31: 'chosen[0]' differs from 'rejected[0]'"),
                differ.getMessage());

        DatasetException sizes = assertThrows(DatasetException.class, () -> format.adapt(row("train.jsonl", 32,
                "{'chosen': [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}],"
                        + " 'rejected': [{'role': 'assistant', 'content': 'b'}]}")));
        assertTrue(sizes.getMessage().startsWith("train.jsonl:32: 'chosen' has 2 messages and 'rejected' has 1"),
                sizes.getMessage());

        DatasetException text = assertThrows(DatasetException.class,
                () -> format.adapt(row("train.jsonl", 33, "{'chosen': 'a', 'rejected': 'b'}")));
        assertTrue(text.getMessage().startsWith("train.jsonl:33: 'chosen' must be a list of"), text.getMessage());
    }
}
