package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.messages;
import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import org.junit.jupiter.api.Test;

class TrlFormatTest {

    private final TrlFormat trl = new TrlFormat();

    @Test
    void standardRowKeepsTextAndOtherColumns() {
        PreferenceExample e = trl.adapt(row("prefs.jsonl", 3,
                "{'prompt': 'The sky is', 'chosen': ' blue.', 'rejected': ' green.', 'id': 7,"
                        + " 'metadata': {'source': 'x'}}"));
        assertEquals(Content.text("The sky is"), e.prompt());
        assertEquals(Content.text(" blue."), e.chosen());
        assertEquals(Content.text(" green."), e.rejected());
        // 'id' is not consumed, the metadata object is merged: both end up in the metadata.
        assertEquals(7, e.metadata().get("id").asInt());
        assertEquals("x", e.metadata().get("source").asText());
        assertEquals("prefs.jsonl:3", e.origin());
    }

    @Test
    void conversationalRowStaysMessages() {
        PreferenceExample e = trl.adapt(row("c.jsonl", 1,
                "{'prompt': [{'role': 'user', 'content': 'What color is the sky?'}],"
                        + " 'chosen': [{'role': 'assistant', 'content': 'It is blue.'}],"
                        + " 'rejected': [{'role': 'assistant', 'content': 'It is green.'}]}"));
        assertEquals(messages("user", "What color is the sky?"), e.prompt());
        assertEquals(messages("assistant", "It is blue."), e.chosen());
        assertTrue(e.metadata().isEmpty());
    }

    @Test
    void implicitTextPromptIsTheCommonPrefixWithTheSpaceGoingToTheAnswers() {
        // TRL's docs example: "The sky is blue." vs "The sky is green." share "The sky is " and
        // differ at 'b'/'g'; extract_prompt moves the space before the difference to the answers.
        PreferenceExample e = trl.adapt(row("i.jsonl", 2,
                "{'chosen': 'The sky is blue.', 'rejected': 'The sky is green.'}"));
        assertEquals(Content.text("The sky is"), e.prompt());
        assertEquals(Content.text(" blue."), e.chosen());
        assertEquals(Content.text(" green."), e.rejected());
    }

    @Test
    void implicitConversationalPromptIsTheSharedLeadingMessages() {
        PreferenceExample e = trl.adapt(row("i.jsonl", 2,
                "{'chosen': [{'role': 'user', 'content': 'Q'}, {'role': 'assistant', 'content': 'A1'}],"
                        + " 'rejected': [{'role': 'user', 'content': 'Q'}, {'role': 'assistant', 'content': 'A2'}]}"));
        assertEquals(messages("user", "Q"), e.prompt());
        assertEquals(messages("assistant", "A1"), e.chosen());
        assertEquals(messages("assistant", "A2"), e.rejected());
    }

    @Test
    void stringPromptBesideConversationsIsReExtractedAsTrlDoes() {
        // TRL's maybe_extract_prompt ignores a string prompt when chosen/rejected are message lists
        // that already hold it (the UltraFeedback binarized layout).
        PreferenceExample e = trl.adapt(row("u.jsonl", 5,
                "{'prompt': 'Q', 'chosen': [{'role': 'user', 'content': 'Q'}, {'role': 'assistant', 'content': 'A1'}],"
                        + " 'rejected': [{'role': 'user', 'content': 'Q'}, {'role': 'assistant', 'content': 'A2'}]}"));
        assertEquals(messages("user", "Q"), e.prompt());
        assertEquals(messages("assistant", "A2"), e.rejected());
        assertTrue(e.metadata().isEmpty(), "the replaced prompt column is consumed");
    }

    @Test
    void malformedRowsNameFileLineAndField() {
        DatasetException missing = assertThrows(DatasetException.class,
                () -> trl.adapt(row("bad.jsonl", 12, "{'prompt': 'p', 'chosen': 'c'}")));
        assertTrue(missing.getMessage().startsWith("bad.jsonl:12: field 'rejected' is missing"), missing.getMessage());

        DatasetException number = assertThrows(DatasetException.class,
                () -> trl.adapt(row("bad.jsonl", 13, "{'prompt': 'p', 'chosen': 4, 'rejected': 'r'}")));
        assertTrue(number.getMessage().startsWith("bad.jsonl:13: field 'chosen' must be a string or a list of messages"),
                number.getMessage());

        DatasetException role = assertThrows(DatasetException.class, () -> trl.adapt(row("bad.jsonl", 14,
                "{'prompt': 'p', 'chosen': [{'content': 'x'}], 'rejected': [{'role': 'assistant', 'content': 'y'}]}")));
        assertTrue(role.getMessage().startsWith("bad.jsonl:14: field 'chosen' message [0] has no 'role'"),
                role.getMessage());

        DatasetException mixed = assertThrows(DatasetException.class, () -> trl.adapt(row("bad.jsonl", 15,
                "{'prompt': 'p', 'chosen': 'c', 'rejected': [{'role': 'assistant', 'content': 'y'}]}")));
        assertTrue(mixed.getMessage().startsWith("bad.jsonl:15: field 'chosen' is a string but field 'rejected' is a list"),
                mixed.getMessage());

        DatasetException nul = assertThrows(DatasetException.class,
                () -> trl.adapt(row("bad.jsonl", 16, "{'prompt': 'p', 'chosen': null, 'rejected': 'r'}")));
        assertTrue(nul.getMessage().startsWith("bad.jsonl:16: field 'chosen' is null"), nul.getMessage());
    }
}
