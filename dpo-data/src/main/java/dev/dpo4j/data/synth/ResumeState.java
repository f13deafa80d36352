package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.io.JsonlJournal;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.data.io.DatasetException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What earlier runs in an output directory already did, read from its journals on start: every
 * answered and every rejected request, and every finished article. A later line for the same key
 * wins (a request answered after {@code retryRejects}, an article finished again).
 */
final class ResumeState {

    /** A request's key: the article and the summary index (-1 for a question set). */
    record Key(String articleId, int k) {
    }

    private final Map<String, QuestionSet> questions = new HashMap<>();
    private final Map<Key, Summary> summaries = new HashMap<>();
    private final Map<Key, Judgement> judgements = new HashMap<>();
    private final Map<SynthStage, Map<Key, Reject>> rejects = new HashMap<>();
    private final Map<String, ArticleOutcome> finished = new HashMap<>();

    private ResumeState() {
        for (SynthStage stage : SynthStage.values()) {
            rejects.put(stage, new HashMap<>());
        }
    }

    /**
     * Reads the journals of a directory (missing files are empty).
     *
     * @param files the directory's files
     * @return the state
     * @throws DatasetException naming file and line when a journal line is not a valid record
     */
    static ResumeState load(SynthFiles files) {
        ResumeState s = new ResumeState();
        read(files.questions(), node -> {
            QuestionSet q = QuestionSet.fromJson(node);
            s.questions.put(q.articleId(), q);
        });
        read(files.summaries(), node -> {
            Summary x = Summary.fromJson(node);
            s.summaries.put(new Key(x.articleId(), x.index()), x);
        });
        read(files.judgements(), node -> {
            Judgement j = Judgement.fromJson(node);
            s.judgements.put(new Key(j.articleId(), j.index()), j);
        });
        read(files.rejects(), node -> {
            Reject r = Reject.fromJson(node);
            s.rejects.get(r.stage()).put(new Key(r.articleId(), r.index()), r);
        });
        read(files.articles(), node -> {
            ArticleOutcome o = ArticleOutcome.fromJson(node);
            s.finished.put(o.article().id(), o);
        });
        return s;
    }

    private static void read(Path file, Consumer<JsonNode> use) {
        for (JsonlRow row : JsonlJournal.read(file)) {
            try {
                use.accept(row.value());
            } catch (IllegalArgumentException e) {
                throw new DatasetException(row.source(), row.lineNumber(), "not a valid journal line: " + e.getMessage());
            }
        }
    }

    /** @return the journaled question set of an article, or null */
    QuestionSet questions(String articleId) {
        return questions.get(articleId);
    }

    /** @return the journaled summary {@code k} of an article, or null */
    Summary summary(String articleId, int k) {
        return summaries.get(new Key(articleId, k));
    }

    /** @return the journaled judgement of summary {@code k} of an article, or null */
    Judgement judgement(String articleId, int k) {
        return judgements.get(new Key(articleId, k));
    }

    /** @return the journaled rejection of a request, or null */
    Reject reject(SynthStage stage, String articleId, int k) {
        return rejects.get(stage).get(new Key(articleId, k));
    }

    /** @return the article's outcome from an earlier run, or null */
    /** How many requests the journals hold an answer or a rejection for. */
    long recordedRequests() {
        long n = questions.size() + summaries.size() + judgements.size();
        for (Map<Key, Reject> stage : rejects.values()) {
            n += stage.size();
        }
        return n;
    }

    ArticleOutcome finished(String articleId) {
        return finished.get(articleId);
    }
}
