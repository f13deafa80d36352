package dev.dpo4j.data.format;

import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.io.DatasetException;
import org.junit.jupiter.api.Test;

class HhRlhfFormatTest {

    private final HhRlhfFormat format = new HhRlhfFormat();

    @Test
    void implicitPromptEndsAtTheLastSharedAssistantTag() {
        // Two-turn transcript differing only in the final answer: the prompt is everything up to and
        // including the second "\n\nAssistant:", the answers keep their leading space.
        String shared = "\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\nHuman: Any pen pranks?\\n\\nAssistant:";
        PreferenceExample e = format.adapt(row("hh.jsonl", 6, "{'chosen': '" + shared + " I would rather not.',"
                + " 'rejected': '" + shared + " Sure, draw on a face.'}"));
        assertEquals(Content.text("\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Any pen pranks?\n\nAssistant:"), e.prompt());
        assertEquals(Content.text(" I would rather not."), e.chosen());
        assertEquals(Content.text(" Sure, draw on a face."), e.rejected());
        assertTrue(e.metadata().isEmpty());
    }

    @Test
    void answersThatShareTheirStartStillSplitAtTheTag() {
        // The common prefix runs into the answers (" I" is shared), but the prompt stops at the tag.
        PreferenceExample e = format.adapt(row("hh.jsonl", 7,
                "{'chosen': '\\n\\nHuman: Q\\n\\nAssistant: I can help.', 'rejected': '\\n\\nHuman: Q\\n\\nAssistant: I cannot.'}"));
        assertEquals(Content.text("\n\nHuman: Q\n\nAssistant:"), e.prompt());
        assertEquals(Content.text(" I can help."), e.chosen());
        assertEquals(Content.text(" I cannot."), e.rejected());
    }

    @Test
    void earlierDivergenceKeepsLaterTurnsInTheAnswers() {
        // The transcripts differ in the first answer; the prompt ends at the first tag and each
        // answer carries the rest of its conversation.
        PreferenceExample e = format.adapt(row("hh.jsonl", 8,
                "{'chosen': '\\n\\nHuman: Q\\n\\nAssistant: A\\n\\nHuman: R\\n\\nAssistant: B',"
                        + " 'rejected': '\\n\\nHuman: Q\\n\\nAssistant: X\\n\\nHuman: R\\n\\nAssistant: Y'}"));
        assertEquals(Content.text("\n\nHuman: Q\n\nAssistant:"), e.prompt());
        assertEquals(Content.text(" A\n\nHuman: R\n\nAssistant: B"), e.chosen());
    }

    @Test
    void malformedRowsNameFileLineAndField() {
        DatasetException noTag = assertThrows(DatasetException.class, () -> format.adapt(row("hh.jsonl", 21,
                "{'chosen': '\\n\\nHuman: Q\\n\\nAssistant: A', 'rejected': '\\n\\nHuman: Other\\n\\nAssistant: B'}")));
        assertTrue(noTag.getMessage().startsWith("hh.jsonl:21: 'chosen' and 'rejected' share no"), noTag.getMessage());

        DatasetException list = assertThrows(DatasetException.class,
                () -> format.adapt(row("hh.jsonl", 22, "{'chosen': '\\n\\nAssistant: a', 'rejected': 5}")));
        assertTrue(list.getMessage().startsWith("hh.jsonl:22: field 'rejected' must be a string, found a number"),
                list.getMessage());
    }
}
