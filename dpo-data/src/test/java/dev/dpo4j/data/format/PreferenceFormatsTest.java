package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import org.junit.jupiter.api.Test;

class PreferenceFormatsTest {

    private static final String CONV = "[{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}]";

    @Test
    void detectsTheMostSpecificFormat() {
        assertEquals("argilla", detect("{'prompt': 'q', 'chosen': " + CONV + ", 'rejected': " + CONV
                + ", 'chosen-rating': 5, 'rejected-rating': 1, 'source': 's'}"));
        assertEquals("ultrafeedback", detect("{'prompt': 'q', 'prompt_id': 'x', 'chosen': " + CONV + ", 'rejected': "
                + CONV + ", 'score_chosen': 5, 'score_rejected': 1}"));
        assertEquals("stack-exchange-paired", detect("{'qid': 1, 'question': 'q', 'response_j': 'a', 'response_k': 'b'}"));
        assertEquals("hh-rlhf", detect("{'chosen': '\\n\\nHuman: q\\n\\nAssistant: a', 'rejected': '\\n\\nHuman: q\\n\\nAssistant: b'}"));
        assertEquals("llmforge", detect("{'chosen': " + CONV + ", 'rejected': " + CONV + "}"));
        assertEquals("trl", detect("{'prompt': 'q', 'chosen': 'a', 'rejected': 'b'}"));
        assertEquals("trl", detect("{'prompt': [{'role': 'user', 'content': 'q'}], 'chosen': " + CONV
                + ", 'rejected': " + CONV + "}"));
        assertEquals("trl", detect("{'chosen': 'The sky is blue.', 'rejected': 'The sky is green.'}"));
    }

    @Test
    void noMatchListsTheColumnsFoundAndEveryFormat() {
        DatasetException e = assertThrows(DatasetException.class, () -> PreferenceFormats.detect(
                row("cnn.json", 2, "{'id': 'f001', 'article': 'text', 'highlights': 'summary'}")));
        assertTrue(e.getMessage().startsWith("cnn.json:2: no known preference format matches this row;"
                + " columns found: [id, article, highlights]"), e.getMessage());
        for (PreferenceFormat f : PreferenceFormats.all()) {
            assertTrue(e.getMessage().contains(f.name() + ": needs " + f.requiredColumns()), f.name());
        }
    }

    @Test
    void messagesOnlyRowsAreExplainedAsSft() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> PreferenceFormats.detect(row("sft.jsonl", 1, "{'messages': " + CONV + "}")));
        assertTrue(e.getMessage().contains("columns found: [messages]"), e.getMessage());
        assertTrue(e.getMessage().contains("llmforge's SFT format"), e.getMessage());
    }

    @Test
    void byNameFindsEachFormatAndListsNamesForUnknownOnes() {
        for (String name : PreferenceFormats.names()) {
            assertEquals(name, PreferenceFormats.byName(name.toUpperCase(java.util.Locale.ROOT)).name());
        }
        assertEquals("stack-exchange-paired", PreferenceFormats.byName("stack_exchange_paired").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreferenceFormats.byName("alpaca"));
        assertEquals("Unknown preference format 'alpaca'; known formats: argilla, ultrafeedback,"
                + " stack-exchange-paired, hh-rlhf, llmforge, trl", e.getMessage());
    }

    private static String detect(String json) {
        return PreferenceFormats.detect(row("d.jsonl", 1, json)).name();
    }
}
