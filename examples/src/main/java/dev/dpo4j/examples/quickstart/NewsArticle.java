package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.QuestionSet;
import java.util.Objects;

/**
 * One article of the quickstart's synthetic news corpus, with what the embedded judge needs to check a
 * summary of it: the reference highlights and the article's questions with their answer keys.
 *
 * @param id stable identifier ({@code news-00042})
 * @param text the article: words and punctuation separated by single spaces
 * @param highlights the reference summary, in the same form
 * @param questions one question per key fact, each with four options whose correct one appears in
 *     {@code text} word for word
 */
public record NewsArticle(String id, String text, String highlights, QuestionSet questions) {

    /** Checks that no field is missing. */
    public NewsArticle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(highlights, "highlights");
        Objects.requireNonNull(questions, "questions");
    }

    /**
     * The article as the data pipeline and the evaluator read it.
     *
     * @return the article without its questions
     */
    public Article toArticle() {
        return new Article(id, text, highlights);
    }
}
