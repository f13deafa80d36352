package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.messages;
import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import org.junit.jupiter.api.Test;

class ArgillaFormatTest {

    /** The shape of a row of argilla/ultrafeedback-binarized-preferences-cleaned (texts shortened). */
    private static final String ROW = "{'source': 'evol_instruct', 'prompt': 'Name a prime.',"
            + " 'chosen': [{'content': 'Name a prime.', 'role': 'user'}, {'content': '7', 'role': 'assistant'}],"
            + " 'chosen-rating': 5.0, 'chosen-model': 'gpt-4',"
            + " 'rejected': [{'content': 'Name a prime.', 'role': 'user'}, {'content': '9', 'role': 'assistant'}],"
            + " 'rejected-rating': 1.0, 'rejected-model': 'pythia-12b'}";

    private final ArgillaFormat format = new ArgillaFormat();

    @Test
    void ratingsModelsAndSourceGoToMetadata() {
        PreferenceExample e = format.adapt(row("argilla.parquet", 17, ROW));
        assertEquals(messages("user", "Name a prime."), e.prompt());
        assertEquals(messages("assistant", "7"), e.chosen());
        assertEquals(messages("assistant", "9"), e.rejected());
        assertEquals(5.0, e.metadata().get("chosen-rating").asDouble());
        assertEquals(1.0, e.metadata().get("rejected-rating").asDouble());
        assertEquals("gpt-4", e.metadata().get("chosen-model").asText());
        assertEquals("pythia-12b", e.metadata().get("rejected-model").asText());
        assertEquals("evol_instruct", e.metadata().get("source").asText());
        assertEquals(5, e.metadata().size(), "only the five non-consumed columns: " + e.metadata());
    }

    @Test
    void malformedRowsNameFileLineAndField() {
        DatasetException empty = assertThrows(DatasetException.class,
                () -> format.adapt(row("argilla.parquet", 18, ROW.replaceFirst("'chosen': \\[.*?\\]\\]?,", "'chosen': [],"))));
        assertTrue(empty.getMessage().startsWith("argilla.parquet:18: field 'chosen' is an empty list of messages"),
                empty.getMessage());

        DatasetException prompt = assertThrows(DatasetException.class,
                () -> format.adapt(row("argilla.parquet", 19, ROW.replace("'prompt': 'Name a prime.'", "'prompt': 3"))));
        assertTrue(prompt.getMessage().startsWith("argilla.parquet:19: field 'prompt' must be a string, found a number"),
                prompt.getMessage());
    }
}
