package dev.dpo4j.eval.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked ROUGE scores; the arithmetic is in the comments. */
class RougeTest {

    private static final double EPS = 1e-12;

    @Test
    void catOnTheMat() {
        // candidate: the cat sat on the mat   (6 tokens, bigrams: the cat, cat sat, sat on, on the, the mat)
        // reference: the cat is on the mat    (6 tokens, bigrams: the cat, cat is, is on, on the, the mat)
        // ROUGE-1 overlap: the×min(2,2) + cat + on + mat = 5 → P = R = 5/6, F = 5/6.
        // ROUGE-2 overlap: the cat, on the, the mat = 3 → P = R = 3/5.
        // ROUGE-L: LCS "the cat on the mat" = 5 → P = R = 5/6.
        RougeScore s = Rouge.score("the cat sat on the mat", "the cat is on the mat");
        assertPrf(5.0 / 6, 5.0 / 6, 5.0 / 6, s.rouge1());
        assertPrf(3.0 / 5, 3.0 / 5, 3.0 / 5, s.rouge2());
        assertPrf(5.0 / 6, 5.0 / 6, 5.0 / 6, s.rougeL());
    }

    @Test
    void rougeScoreReadmeExample() {
        // rouge_score README: scorer.score(target='The quick brown fox jumps over the lazy dog',
        //                                  prediction='The quick brown dog jumps on the log.')
        // gives rouge1 P=0.75 R=0.6667 F=0.7059 and rougeL P=0.625 R=0.5556 F=0.5882.
        // By hand: prediction has 8 tokens, target 9; unigram overlap the×2, quick, brown, dog,
        // jumps = 6 → P = 6/8, R = 6/9, F = 2·(3/4)(2/3)/(3/4+2/3) = 12/17.
        // Bigram overlap: "the quick", "quick brown" = 2 → P = 2/7, R = 2/8.
        // LCS "the quick brown jumps the" = 5 → P = 5/8, R = 5/9, F = 2·(5/8)(5/9)/(5/8+5/9) = 10/17.
        RougeScore s = Rouge.score("The quick brown dog jumps on the log.",
                "The quick brown fox jumps over the lazy dog");
        assertPrf(0.75, 6.0 / 9, 12.0 / 17, s.rouge1());
        assertPrf(2.0 / 7, 2.0 / 8, 2 * (2.0 / 7) * (2.0 / 8) / (2.0 / 7 + 2.0 / 8), s.rouge2());
        assertPrf(0.625, 5.0 / 9, 10.0 / 17, s.rougeL());
    }

    @Test
    void repeatedWordsAreClipped() {
        // candidate "the the the the", reference "the cat": "the" counts min(4, 1) = 1 →
        // ROUGE-1 P = 1/4, R = 1/2, F = 2·(1/8)/(3/4) = 1/3; no shared bigram; LCS = 1 → same as R-1.
        RougeScore s = Rouge.score("the the the the", "the cat");
        assertPrf(0.25, 0.5, 1.0 / 3, s.rouge1());
        assertPrf(0, 0, 0, s.rouge2());
        assertPrf(0.25, 0.5, 1.0 / 3, s.rougeL());
    }

    @Test
    void tokensAreLowercaseAlphanumericRuns() {
        assertEquals(List.of("the", "cat", "sat"), Rouge.tokens("The CAT,  sat!"));
        assertEquals(List.of("don", "t", "stop"), Rouge.tokens("Don't\tstop"));
        assertEquals(List.of("gdp", "grew", "3", "5", "in", "2024"), Rouge.tokens("GDP grew 3.5% in 2024."));
        // Letters outside a-z are separators, as in rouge_score's tokenizer: café → caf, naïve → na ve.
        assertEquals(List.of("na", "ve", "caf"), Rouge.tokens("naïve café"));
        assertEquals(List.of(), Rouge.tokens(" ,.;!? "));
        assertEquals(List.of(), Rouge.tokens(null));
    }

    @Test
    void punctuationAndCaseDoNotChangeTheScore() {
        RougeScore plain = Rouge.score("the cat sat on the mat", "the cat is on the mat");
        RougeScore noisy = Rouge.score("THE Cat -- sat, on the mat!!!", "\"The cat\" is on ... the MAT.");
        assertEquals(plain, noisy);
    }

    @Test
    void emptyTextScoresZero() {
        RougeScore zero = new RougeScore(Prf.ZERO, Prf.ZERO, Prf.ZERO);
        assertEquals(zero, Rouge.score("", "the cat is on the mat"));
        assertEquals(zero, Rouge.score("the cat", ""));
        assertEquals(zero, Rouge.score("", ""));
        assertEquals(zero, Rouge.score("!!!", "?"));
    }

    @Test
    void singleWordHasNoBigrams() {
        // One token on each side: ROUGE-1 = 1, no bigrams on either side → 0/max(0,1) = 0.
        RougeScore s = Rouge.score("Cat.", "cat");
        assertPrf(1, 1, 1, s.rouge1());
        assertPrf(0, 0, 0, s.rouge2());
        assertPrf(1, 1, 1, s.rougeL());
    }

    @Test
    void lcsIsASubsequenceNotASubstring() {
        // a b c d e vs a x c y e: LCS a c e = 3 (the longest common substring is only 1).
        assertEquals(3, Rouge.lcsLength(List.of("a", "b", "c", "d", "e"), List.of("a", "x", "c", "y", "e")));
        assertEquals(0, Rouge.lcsLength(List.of(), List.of("a")));
    }

    private static void assertPrf(double precision, double recall, double f1, Prf actual) {
        assertEquals(precision, actual.precision(), EPS, "precision");
        assertEquals(recall, actual.recall(), EPS, "recall");
        assertEquals(f1, actual.f1(), EPS, "f1");
    }
}
