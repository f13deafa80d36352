package dev.dpo4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptFieldsTest {

    private static final String TEMPLATE = "Read {{n}} things.\n\nSummary:\n{{summary}}\n\n"
            + "Questions:\n{{questions}}\n\nAnswer with {{n}} letters.\nNothing else.";

    @Test
    void readsTheFieldsBackOutOfARenderedPrompt() {
        PromptFields fields = PromptFields.of(TEMPLATE, Set.of("summary", "questions"));
        String prompt = "Read 5 things.\n\nSummary:\nline one\nline two\n\nQuestions:\n1. Q\n   A) a\n\n"
                + "Answer with 5 letters.\nNothing else.";
        assertEquals(Map.of("summary", "line one\nline two", "questions", "1. Q\n   A) a"),
                fields.read(prompt).orElseThrow());
    }

    @Test
    void onlyTheLastLineBeforeAndTheFirstLineAfterTheFieldsAreRequired() {
        PromptFields fields = PromptFields.of(TEMPLATE, Set.of("summary", "questions"));
        // The preamble moved into a system message and the closing line reworded: still readable.
        String prompt = "system text\n\nSummary:\n\n\nQuestions:\nQ\n\nAnswer with 3 letters.\nPlease.";
        assertEquals(Map.of("summary", "", "questions", "Q"), fields.read(prompt).orElseThrow());
        assertTrue(fields.read("Summary:\nno questions section").isEmpty());
    }

    @Test
    void refusesATemplateWithoutAWantedPlaceholder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptFields.of("Summary:\n{{summary}}", Set.of("summary", "questions")));
        assertTrue(e.getMessage().contains("{{questions}}"), e.getMessage());
    }

    @Test
    void questionBlockReadsOptionsAndRefusesBrokenLayouts() {
        String block = "1. Which city ?\n   A) Lyon\n   B) Paris\n   C) Berlin\n   D) Rome\n"
                + "2. Which day ?\n   A) Monday\n   B) Friday\n   C) 3. Sunday\n   D) May 3";
        // An option reading "3. Sunday" is still an option: its line starts with a letter.
        assertEquals(List.of(List.of("Lyon", "Paris", "Berlin", "Rome"),
                List.of("Monday", "Friday", "3. Sunday", "May 3")), QuestionBlock.parse(block));
        assertThrows(IllegalArgumentException.class, () -> QuestionBlock.parse("1. Q\n   A) a\n   B) b\n   C) c"));
        assertThrows(IllegalArgumentException.class, () -> QuestionBlock.parse("2. Q\n   A) a"));
        assertThrows(IllegalArgumentException.class, () -> QuestionBlock.parse("   A) a"));
        assertThrows(IllegalArgumentException.class, () -> QuestionBlock.parse(""));
    }
}
