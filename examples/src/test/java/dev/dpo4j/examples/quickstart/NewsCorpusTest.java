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
    void faultyHighlightsMissExactlyOneFactAtTheGivenRate() {
        List<NewsArticle> clean = NewsCorpus.generate(1000, 5, 0);
        List<NewsArticle> faulty = NewsCorpus.generate(1000, 5, 0, 0.3);
        int wrong = 0;
        for (int i = 0; i < clean.size(); i++) {
            assertEquals(clean.get(i).text(), faulty.get(i).text());
            assertEquals(clean.get(i).questions(), faulty.get(i).questions());
            int score = FactMatcher.correctCount(faulty.get(i).highlights(), faulty.get(i).questions());
            assertTrue(score == 5 || score == 4, "score " + score);
            if (score == 4) {
                wrong++;
            }
        }
        // 1000 draws at 0.3: the count is Binomial(1000, 0.3), sd ≈ 14.5; ±5 sd is 227..373
        assertTrue(wrong > 227 && wrong < 373, "faulty highlights: " + wrong);
    }

    @Test
    void fillersHaveOneLengthSoEachKindOfArticleHasOne() {
        Set<Integer> lengths = new HashSet<>();
        Pools.FILLERS.forEach(f -> lengths.add(f.split(" ").length));
        assertEquals(1, lengths.size(), Pools.FILLERS.toString());
    }
}
