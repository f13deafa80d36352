package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The counts of a synthetic run, over every article of the input (those finished in earlier runs
 * of the same directory included), written to {@code report.json}. Every distinct input article
 * ends in exactly one of three states, so
 * {@code articlesIn == articlesWithPairs + articlesWithoutPairs + articlesRejected}, checked on
 * construction.
 *
 * @param articlesIn distinct articles in the input
 * @param articlesWithPairs articles that gave at least one pair
 * @param articlesWithoutPairs articles judged but without a valid pair
 * @param articlesRejected articles whose question set was rejected or none of whose summaries
 *     could be judged
 * @param duplicateArticles input rows skipped because their article id came earlier
 * @param articlesResumed articles finished by an earlier run, not processed again
 * @param questionSetsRejected question set requests rejected
 * @param summariesRejected summary requests rejected
 * @param judgementsRejected judgement requests rejected
 * @param pairsTrain rows in {@code train.jsonl}
 * @param pairsValid rows in {@code valid.jsonl}
 * @param requestsSent requests sent to a model by this run
 * @param requestsReused requests answered (or rejected) by an earlier run and not sent again
 * @param requestFailures requests sent by this run that ended in {@code rejects.jsonl}
 */
public record SynthReport(long articlesIn, long articlesWithPairs, long articlesWithoutPairs, long articlesRejected,
        long duplicateArticles, long articlesResumed, long questionSetsRejected, long summariesRejected,
        long judgementsRejected, long pairsTrain, long pairsValid, long requestsSent, long requestsReused,
        long requestFailures) {

    /** Checks that the three article states add up to the articles in. */
    public SynthReport {
        if (articlesIn != articlesWithPairs + articlesWithoutPairs + articlesRejected) {
            throw new IllegalStateException("article counts do not add up: in " + articlesIn + " != with pairs "
                    + articlesWithPairs + " + without pairs " + articlesWithoutPairs + " + rejected " + articlesRejected);
        }
    }

    /**
     * The report as {@code report.json} holds it.
     *
     * @return a new object
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("articles_in", articlesIn);
        o.put("articles_with_pairs", articlesWithPairs);
        o.put("articles_without_pairs", articlesWithoutPairs);
        o.put("articles_rejected", articlesRejected);
        o.put("duplicate_articles", duplicateArticles);
        o.put("articles_resumed", articlesResumed);
        o.put("question_sets_rejected", questionSetsRejected);
        o.put("summaries_rejected", summariesRejected);
        o.put("judgements_rejected", judgementsRejected);
        o.put("pairs_train", pairsTrain);
        o.put("pairs_valid", pairsValid);
        o.put("requests_sent", requestsSent);
        o.put("requests_reused", requestsReused);
        o.put("request_failures", requestFailures);
        return o;
    }

    /**
     * A short table for the console.
     *
     * @return several lines
     */
    public String toTable() {
        return String.format(Locale.ROOT, """
                articles in          %d (duplicates skipped: %d, finished earlier: %d)
                  with pairs         %d
                  without pairs      %d
                  rejected           %d
                rejected requests    questions %d, summaries %d, judgements %d
                pairs                train %d, valid %d
                requests             sent %d (failed %d), reused %d""",
                articlesIn, duplicateArticles, articlesResumed, articlesWithPairs, articlesWithoutPairs,
                articlesRejected, questionSetsRejected, summariesRejected, judgementsRejected, pairsTrain, pairsValid,
                requestsSent, requestFailures, requestsReused);
    }
}
