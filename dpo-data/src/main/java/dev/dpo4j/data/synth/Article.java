package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.data.io.DataRow;
import java.util.Objects;

/**
 * One input article of the synthetic pipeline, as CNN/DailyMail rows hold it.
 *
 * @param id a stable identifier, unique in the input; it keys every journal line and seed
 * @param text the article text; not blank
 * @param highlights the reference summary, or null when the input has none (kept for inspection
 *     and evaluation; the pipeline does not show it to any model)
 */
public record Article(String id, String text, String highlights) {

    /** Validates that the id and text are present and not blank. */
    public Article {
        Objects.requireNonNull(id, "Article.id must not be null");
        Objects.requireNonNull(text, "Article.text must not be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("Article.id must not be blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("Article.text must not be blank (article " + id + ")");
        }
    }

    /**
     * Reads an article from a dataset row with columns {@code article}, optional
     * {@code highlights} and optional {@code id}. Without an id the SHA-1 of the article text is
     * used (the scheme CNN/DailyMail ids follow), so a rerun over the same file finds the same ids.
     *
     * @param row the row
     * @return the article
     * @throws dev.dpo4j.data.io.DatasetException naming {@code file:line} when {@code article} is
     *     missing, empty or not a string, or {@code id}/{@code highlights} is not a string or number
     */
    public static Article fromRow(DataRow row) {
        JsonNode article = row.get("article");
        if (article == null) {
            throw row.error("column 'article' is missing");
        }
        if (!article.isTextual()) {
            throw row.error("column 'article' must be a string, got " + article.getNodeType().name().toLowerCase());
        }
        if (article.asText().isBlank()) {
            throw row.error("column 'article' is empty");
        }
        String text = article.asText();
        String id = scalar(row, "id");
        String highlights = scalar(row, "highlights");
        if (id == null || id.isBlank()) {
            id = StableHash.sha1Hex(text);
        }
        return new Article(id, text, highlights);
    }

    private static String scalar(DataRow row, String column) {
        JsonNode node = row.get(column);
        if (node == null) {
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw row.error("column '" + column + "' must be a string, got "
                    + node.getNodeType().name().toLowerCase());
        }
        return node.asText();
    }
}
