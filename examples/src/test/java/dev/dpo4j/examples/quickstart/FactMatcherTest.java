package dev.dpo4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FactMatcherTest {

    @Test
    void statesWholeWordPhrasesIgnoringCaseAndSpacing() {
        assertTrue(FactMatcher.states("Acme said on march  3 , that", "March 3"));
        assertTrue(FactMatcher.states("The deal was signed in Paris.", "Paris"));
        assertTrue(FactMatcher.states("Paris", "paris"));
        // "30" continues the number and "Lyonnais" the word: neither is the phrase as whole words.
        assertFalse(FactMatcher.states("on March 30 , that", "March 3"));
        assertFalse(FactMatcher.states("a Lyonnais bank", "Lyon"));
        assertFalse(FactMatcher.states("closed 12 schools", "2"));
        assertFalse(FactMatcher.states("", "Paris"));
    }

    @Test
    void answersTheOneStatedOptionOrX() {
        List<String> cities = List.of("Lyon", "Paris", "Berlin", "Rome");
        assertEquals("B", FactMatcher.answer("signed in Paris after talks", cities));
        assertEquals("X", FactMatcher.answer("signed after talks", cities), "no option stated");
        assertEquals("X", FactMatcher.answer("signed in Paris or Rome", cities), "two options stated");
        assertEquals("D", FactMatcher.answer("ROME", cities));
    }

    @Test
    void aMatchInsideALongerOptionDoesNotCount() {
        // "New York" contains "York"; a text saying only "New York" states one option, not two.
        List<String> options = List.of("York", "New York", "Boston", "Chicago");
        assertEquals("B", FactMatcher.answer("the office in New York opened", options));
        // "York" on its own, elsewhere in the text, is stated too: then the text names two cities.
        assertEquals("X", FactMatcher.answer("from York to New York", options));
        assertEquals("A", FactMatcher.answer("the office in York opened", options));
    }

    @Test
    void countsCorrectAnswers() {
        NewsArticle acme = JudgeTestArticles.ACME;
        // Every key fact: company, day, date, price, city -> 5 of 5.
        assertEquals(5, FactMatcher.correctCount(acme.text(), acme.questions()));
        // The highlights hold the company and the price only -> 2 of 5.
        assertEquals(2, FactMatcher.correctCount(acme.highlights(), acme.questions()));
        assertEquals(List.of("B", "X", "X", "D", "X"), FactMatcher.answers(acme.highlights(), acme.questions()));
    }

    @Test
    void refusesABlankOption() {
        assertThrows(IllegalArgumentException.class, () -> FactMatcher.answer("text", List.of("a", " ", "c", "d")));
    }
}
