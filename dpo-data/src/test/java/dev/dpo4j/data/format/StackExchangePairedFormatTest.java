package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import org.junit.jupiter.api.Test;

class StackExchangePairedFormatTest {

    /** The shape of a row of lvwerra/stack-exchange-paired (texts shortened). */
    private static final String ROW = "{'qid': 4013, 'question': 'How do I reverse a list?', 'date': '2011/05/02',"
            + " 'metadata': ['https://stackoverflow.com/questions/4013'],"
            + " 'response_j': 'Use reversed(xs).', 'response_k': 'You cannot.'}";

    private final StackExchangePairedFormat format = new StackExchangePairedFormat();

    @Test
    void promptIsQuestionAnswerTemplateAndJIsPreferred() {
        PreferenceExample e = format.adapt(row("se.parquet", 2, ROW));
        assertEquals(Content.text("Question: How do I reverse a list?\n\nAnswer: "), e.prompt());
        assertEquals(Content.text("Use reversed(xs)."), e.chosen());
        assertEquals(Content.text("You cannot."), e.rejected());
        assertEquals(4013, e.metadata().get("qid").asInt());
        assertEquals("2011/05/02", e.metadata().get("date").asText());
        // The dataset's own 'metadata' column is a list of URLs, not an object: kept under its name.
        assertEquals("https://stackoverflow.com/questions/4013", e.metadata().get("metadata").get(0).asText());
    }

    @Test
    void malformedRowsNameFileLineAndField() {
        DatasetException missing = assertThrows(DatasetException.class,
                () -> format.adapt(row("se.jsonl", 8, "{'question': 'q', 'response_j': 'a'}")));
        assertTrue(missing.getMessage().startsWith("se.jsonl:8: field 'response_k' is missing"), missing.getMessage());

        DatasetException list = assertThrows(DatasetException.class,
                () -> format.adapt(row("se.jsonl", 9, "{'question': ['q'], 'response_j': 'a', 'response_k': 'b'}")));
        assertTrue(list.getMessage().startsWith("se.jsonl:9: field 'question' must be a string, found an array"),
                list.getMessage());
    }
}
