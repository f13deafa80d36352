package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Distribution;
import dev.dpo4j.eval.stats.Estimate;
import java.util.Objects;

/**
 * A contender's QA score: how many of a judge's questions about each source text the judge
 * could answer from the contender's output alone (the llmforge summarization metric).
 *
 * @param meanScore mean number of questions answered correctly per output, with its 95% CI
 * @param questions questions asked per output (the maximum score, e.g. 5)
 * @param scores histogram of scores 0..questions
 * @param threshold the "good output" score (e.g. 3 of 5)
 * @param shareAtThreshold share of outputs scoring at least {@code threshold}, with its 95% CI
 * @param judged outputs the judge scored
 * @param failed outputs the judge could not score (errors, unparseable replies)
 */
public record QaResult(Estimate meanScore, int questions, Distribution scores, int threshold,
        Estimate shareAtThreshold, int judged, int failed) {

    /**
     * Checks that nothing is missing.
     *
     * @throws NullPointerException if an estimate or the distribution is null
     */
    public QaResult {
        Objects.requireNonNull(meanScore, "meanScore");
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(shareAtThreshold, "shareAtThreshold");
    }

    /**
     * The result as JSON.
     *
     * @return {@code {mean_score, questions, scores, threshold, share_at_threshold, judged, failed}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("mean_score", meanScore.toJson());
        node.put("questions", questions);
        node.set("scores", scores.toJson());
        node.put("threshold", threshold);
        node.set("share_at_threshold", shareAtThreshold.toJson());
        node.put("judged", judged);
        node.put("failed", failed);
        return node;
    }

    /**
     * Reads a result written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the result
     * @throws IllegalArgumentException if a field is missing or has the wrong type
     */
    public static QaResult fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "qa_result");
        Distribution scores;
        try {
            scores = Distribution.fromJson(f.required("scores"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("qa_result.scores: " + e.getMessage(), e);
        }
        return new QaResult(f.estimate("mean_score"), f.integer("questions"), scores, f.integer("threshold"),
                f.estimate("share_at_threshold"), f.integer("judged"), f.integer("failed"));
    }
}
