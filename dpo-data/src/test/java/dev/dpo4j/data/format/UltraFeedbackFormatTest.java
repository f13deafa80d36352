package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.messages;
import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import org.junit.jupiter.api.Test;

class UltraFeedbackFormatTest {

    /** The shape of a train_prefs row of HuggingFaceH4/ultrafeedback_binarized (texts shortened). */
    private static final String ROW = "{'prompt': 'Which is a fruit?', 'prompt_id': 'ab12',"
            + " 'chosen': [{'content': 'Which is a fruit?', 'role': 'user'}, {'content': 'An apple.', 'role': 'assistant'}],"
            + " 'rejected': [{'content': 'Which is a fruit?', 'role': 'user'}, {'content': 'A car.', 'role': 'assistant'}],"
            + " 'messages': [{'content': 'Which is a fruit?', 'role': 'user'}, {'content': 'An apple.', 'role': 'assistant'}],"
            + " 'score_chosen': 8.5, 'score_rejected': 2.0}";

    private final UltraFeedbackFormat format = new UltraFeedbackFormat();

    @Test
    void promptIsTheSharedUserTurnAndScoresAreKept() {
        PreferenceExample e = format.adapt(row("uf.parquet", 4, ROW));
        assertEquals(messages("user", "Which is a fruit?"), e.prompt());
        assertEquals(messages("assistant", "An apple."), e.chosen());
        assertEquals(messages("assistant", "A car."), e.rejected());
        assertEquals(8.5, e.metadata().get("score_chosen").asDouble());
        assertEquals(2.0, e.metadata().get("score_rejected").asDouble());
        assertEquals("ab12", e.metadata().get("prompt_id").asText());
        assertFalse(e.metadata().has("messages"), "the SFT copy of chosen is consumed");
        assertFalse(e.metadata().has("prompt"));
    }

    @Test
    void malformedRowsNameFileLineAndField() {
        DatasetException lastUser = assertThrows(DatasetException.class, () -> format.adapt(row("uf.jsonl", 9,
                ROW.replace("{'content': 'A car.', 'role': 'assistant'}", "{'content': 'A car.', 'role': 'user'}"))));
        assertTrue(lastUser.getMessage().startsWith("uf.jsonl:9: 'rejected[1]' must be the assistant's answer"),
                lastUser.getMessage());

        DatasetException differ = assertThrows(DatasetException.class, () -> format.adapt(row("uf.jsonl", 10,
                ROW.replace("'rejected': [{'content': 'Which is a fruit?'", "'rejected': [{'content': 'Other?'"))));
        assertTrue(differ.getMessage().startsWith("uf.jsonl:10: 'chosen[0]' differs from 'rejected[0]'"),
                differ.getMessage());

        DatasetException text = assertThrows(DatasetException.class, () -> format.adapt(row("uf.jsonl", 11,
                "{'prompt': 'p', 'chosen': 'c', 'rejected': 'r', 'score_chosen': 1, 'score_rejected': 0}")));
        assertTrue(text.getMessage().startsWith("uf.jsonl:11: field 'chosen' must be a list of"), text.getMessage());
    }
}
