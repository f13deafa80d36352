package dev.dpo4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.synth.Question;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The corpus the quickstart learns from: reproducible, covered by its vocabulary, answerable. */
class NewsCorpusTest {

    @Test
    void sameSeedSameCorpusAndDisjointIds() {
        assertEquals(NewsCorpus.generate(50, 7, 0), NewsCorpus.generate(50, 7, 0));
        assertNotEquals(NewsCorpus.generate(50, 7, 0), NewsCorpus.generate(50, 8, 0));
        Set<String> ids = new HashSet<>();
        NewsCorpus.generate(20, 7, 0).forEach(a -> ids.add(a.id()));
        NewsCorpus.generate(20, 7, 100).forEach(a -> assertTrue(ids.add(a.id()), a.id()));
    }

    @Test
    void everyWordIsInTheVocabularyAndEveryAnswerIsStatedInTheArticleAndTheHighlights() {
        Set<String> vocabulary = new HashSet<>(NewsCorpus.vocabulary());
        for (NewsArticle a : NewsCorpus.generate(300, 3, 0)) {
            for (String text : List.of(a.text(), a.highlights())) {
                for (String w : text.split(" ")) {
                    assertTrue(vocabulary.contains(w), "'" + w + "' of " + a.id() + " is not in the vocabulary");
                }
            }
            assertEquals(5, a.questions().size());
            for (Question q : a.questions().questions()) {
                String answer = q.options().get(Question.LETTERS.indexOf(q.answer()));
                assertTrue(FactMatcher.states(a.highlights(), answer), a.id() + ": " + answer);
                assertTrue(FactMatcher.states(a.text(), answer), a.id() + ": " + answer);
                for (String w : q.question().split(" ")) {
                    assertTrue(vocabulary.contains(w), w);
                }
            }
            // The reference highlights answer every question: the embedded judge gives them 5 of 5.
            assertEquals(5, FactMatcher.correctCount(a.highlights(), a.questions()));
        }
    }

    @Test
    void vagueHighlightsKeepTheFirstSentenceAndDropTheOtherFactsAtTheGivenRate() {
        List<NewsArticle> clean = NewsCorpus.generate(1000, 5, 0);
        List<NewsArticle> faulty = NewsCorpus.generate(1000, 5, 0, 0.3);
        int vague = 0;
        for (int i = 0; i < clean.size(); i++) {
            NewsArticle c = clean.get(i);
            NewsArticle f = faulty.get(i);
            assertEquals(c.text(), f.text());
            assertEquals(c.questions(), f.questions());
            int score = FactMatcher.correctCount(f.highlights(), f.questions());
            if (f.highlights().equals(c.highlights())) {
                assertEquals(5, score);
                continue;
            }
            vague++;
            String first = c.highlights().substring(0, c.highlights().indexOf(" . ") + 2);
            assertEquals(first + " " + Pools.VAGUE, f.highlights());
            // the first sentence states the who and where (and, for a storm, the wind and day): 2 or 3 facts
            assertTrue(score == 2 || score == 3, f.id() + " states " + score + ": " + f.highlights());
        }
        // 1000 draws at 0.3: the count is Binomial(1000, 0.3), sd ≈ 14.5; ±5 sd is 227..373
        assertTrue(vague > 227 && vague < 373, "vague highlights: " + vague);
    }

    @Test
    void fillersHaveOneLengthSoEachKindOfArticleHasOne() {
        Set<Integer> lengths = new HashSet<>();
        Pools.FILLERS.forEach(f -> lengths.add(f.split(" ").length));
        assertEquals(1, lengths.size(), Pools.FILLERS.toString());
    }
}
