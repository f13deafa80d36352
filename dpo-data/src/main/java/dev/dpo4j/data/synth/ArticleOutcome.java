package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What became of one article: one line of {@code articles.jsonl}, the file to read when checking
 * what the judge asked, what the model wrote and how it scored.
 *
 * @param article the article
 * @param status whether it gave pairs
 * @param reason why it was rejected, or null
 * @param questions the question set, or null when it was rejected
 * @param summaries the summaries that were written, by index
 * @param judgements the judgements that were made, by index
 * @param pairs the pairs the policy chose (empty unless {@link Status#PAIRS})
 * @param questionsRejected whether the question set request was rejected
 * @param summariesRejected how many summary requests were rejected
 * @param judgementsRejected how many judgement requests were rejected
 */
public record ArticleOutcome(Article article, Status status, String reason, QuestionSet questions,
        List<Summary> summaries, List<Judgement> judgements, List<SummaryPair> pairs, boolean questionsRejected,
        int summariesRejected, int judgementsRejected) {

    /** The three ways an article can end; every input article ends in exactly one. */
    public enum Status {
        /** At least one pair was formed. */
        PAIRS,
        /** Summaries were judged but no pair was possible (all good, all bad, or identical). */
        NO_PAIRS,
        /** The question set was rejected, or no summary could be judged. */
        REJECTED
    }

    /** Copies the lists and sorts summaries and judgements by index. */
    public ArticleOutcome {
        Objects.requireNonNull(article, "ArticleOutcome.article must not be null");
        Objects.requireNonNull(status, "ArticleOutcome.status must not be null");
        summaries = summaries.stream().sorted(Comparator.comparingInt(Summary::index)).toList();
        judgements = judgements.stream().sorted(Comparator.comparingInt(Judgement::index)).toList();
        pairs = List.copyOf(pairs);
    }

    /**
     * Whether any of the article's requests was rejected (so {@code retryRejects} reruns it).
     *
     * @return true when a request was rejected
     */
    public boolean hasRejects() {
        return questionsRejected || summariesRejected > 0 || judgementsRejected > 0;
    }

    /**
     * The summary with index {@code k}.
     *
     * @param k the index
     * @return the summary
     * @throws IllegalArgumentException when there is none
     */
    public Summary summary(int k) {
        return summaries.stream().filter(s -> s.index() == k).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("article " + article.id() + " has no summary " + k));
    }

    /**
     * The line written to {@code articles.jsonl}.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("article_id", article.id());
        node.put("status", status.name().toLowerCase(Locale.ROOT));
        if (reason != null) {
            node.put("reason", reason);
        }
        node.put("article", article.text());
        if (article.highlights() != null) {
            node.put("highlights", article.highlights());
        }
        if (questions != null) {
            node.set("questions", questions.questionsJson());
            node.put("judge_model", questions.model());
        }
        ArrayNode list = node.putArray("summaries");
        for (Summary s : summaries) {
            ObjectNode o = list.addObject();
            o.put("k", s.index());
            o.put("text", s.text());
            o.put("model", s.model());
            judgements.stream().filter(j -> j.index() == s.index()).findFirst().ifPresent(j -> {
                o.put("score", j.score());
                o.put("total", j.total());
                j.answers().forEach(o.putArray("answers")::add);
            });
        }
        ArrayNode pairList = node.putArray("pairs");
        pairs.forEach(p -> pairList.add(p.toJson()));
        ObjectNode rejects = node.putObject("rejects");
        rejects.put("questions", questionsRejected ? 1 : 0);
        rejects.put("summaries", summariesRejected);
        rejects.put("judgements", judgementsRejected);
        return node;
    }

    /**
     * Reads a line written by {@link #toJson()}.
     *
     * @param node the line
     * @return the outcome
     * @throws IllegalArgumentException naming the bad field
     */
    public static ArticleOutcome fromJson(JsonNode node) {
        String id = SynthJson.text(node, "article_id");
        Article article = new Article(id, SynthJson.text(node, "article"), SynthJson.optText(node, "highlights"));
        Status status = Status.valueOf(SynthJson.text(node, "status").toUpperCase(Locale.ROOT));
        QuestionSet questions = node.hasNonNull("questions")
                ? new QuestionSet(id, QuestionSet.questions(node.get("questions")), SynthJson.optText(node, "judge_model"))
                : null;
        List<Summary> summaries = new ArrayList<>();
        List<Judgement> judgements = new ArrayList<>();
        for (JsonNode s : node.path("summaries")) {
            int k = SynthJson.integer(s, "k");
            summaries.add(new Summary(id, k, SynthJson.text(s, "text"), SynthJson.optText(s, "model")));
            if (s.has("score")) {
                judgements.add(new Judgement(id, k, SynthJson.texts(s, "answers"), SynthJson.integer(s, "score"),
                        SynthJson.integer(s, "total")));
            }
        }
        List<SummaryPair> pairs = new ArrayList<>();
        node.path("pairs").forEach(p -> pairs.add(SummaryPair.fromJson(p)));
        JsonNode rejects = node.path("rejects");
        return new ArticleOutcome(article, status, SynthJson.optText(node, "reason"), questions, summaries, judgements,
                pairs, rejects.path("questions").asInt() > 0, rejects.path("summaries").asInt(),
                rejects.path("judgements").asInt());
    }
}
