package dev.dpo4j.eval;

import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.CandidateWriter;
import dev.dpo4j.data.synth.SynthConfig;
import java.util.Objects;

/**
 * One held-out example every contender answers.
 *
 * @param id a stable identifier, unique in the evaluation set; it keys every journal line and seed
 * @param prompt the instruction each contender receives as its single user message (also the
 *     instruction the pairwise judge sees)
 * @param reference the reference answer ROUGE compares against, or null for none
 * @param article the article the judge writes questions about (enables QA scoring), or null
 */
public record EvalItem(String id, String prompt, String reference, Article article) {

    /** Validates that the id and the prompt are present and not blank. */
    public EvalItem {
        Objects.requireNonNull(id, "EvalItem.id must not be null");
        Objects.requireNonNull(prompt, "EvalItem.prompt must not be null (item " + id + ")");
        if (id.isBlank()) {
            throw new IllegalArgumentException("EvalItem.id must not be blank");
        }
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("EvalItem.prompt must not be blank (item " + id + ")");
        }
    }

    /**
     * A summarization item: the prompt is exactly the instruction dpo-data's
     * {@link CandidateWriter} sends the base model for this article (the config's summarization
     * template with the article), the reference is the article's highlights, and the article
     * enables QA scoring with the same questions as the data pipeline.
     *
     * @param article the article; its id becomes the item's id
     * @param config the settings whose summarization template is used
     * @return the item
     */
    public static EvalItem summarization(Article article, SynthConfig config) {
        Objects.requireNonNull(article, "article");
        String prompt = config.prompts().summarizePrompt(article);
        return new EvalItem(article.id(), prompt, article.highlights(), article);
    }

    /**
     * An instruction item without reference or article: only pairwise judging and length
     * statistics apply to it.
     *
     * @param id the item's id
     * @param prompt the instruction
     * @return the item
     */
    public static EvalItem instruction(String id, String prompt) {
        return new EvalItem(id, prompt, null, null);
    }
}
