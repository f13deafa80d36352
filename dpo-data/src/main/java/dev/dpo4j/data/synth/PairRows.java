package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.format.Content;
import dev.dpo4j.data.format.PreferenceExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns finished articles into preference rows and writes {@code train.jsonl} and
 * {@code valid.jsonl}. The prompt is the summarization instruction with the article (the very
 * text the base model was asked), chosen and rejected are the two summaries; with
 * {@code chatFormat} the prompt is {@code [{role: user}]} and the answers
 * {@code [{role: assistant}]}. Each row's {@code metadata} carries the article id, both scores,
 * every candidate's score, the policy and the models.
 *
 * <p>An article goes to {@code valid.jsonl} when a hash of the run seed and its id, as a fraction
 * in [0, 1), is below {@code validFraction}, so the split never changes between runs.
 */
final class PairRows {

    private final SynthConfig config;
    private final CandidateWriter prompts;

    /**
     * @param config the run settings
     * @param prompts renders the training prompt
     */
    PairRows(SynthConfig config, CandidateWriter prompts) {
        this.config = config;
        this.prompts = prompts;
    }

    /**
     * Whether an article belongs to the validation split.
     *
     * @param articleId the article's id
     * @return true for {@code valid.jsonl}
     */
    boolean isValid(String articleId) {
        return StableHash.unit(Long.toString(config.seed()), "split", articleId) < config.validFraction();
    }

    /**
     * The rows of one article, in pair order.
     *
     * @param outcome the finished article
     * @return one row per pair
     */
    List<PreferenceExample> rows(ArticleOutcome outcome) {
        List<PreferenceExample> rows = new ArrayList<>();
        String prompt = prompts.prompt(outcome.article());
        for (int i = 0; i < outcome.pairs().size(); i++) {
            SummaryPair pair = outcome.pairs().get(i);
            Summary chosen = outcome.summary(pair.chosen());
            Summary rejected = outcome.summary(pair.rejected());
            ObjectNode meta = JsonNodeFactory.instance.objectNode();
            meta.put("article_id", outcome.article().id());
            meta.put("pair_index", i);
            meta.put("chosen_k", pair.chosen());
            meta.put("rejected_k", pair.rejected());
            meta.put("chosen_score", pair.chosenScore());
            meta.put("rejected_score", pair.rejectedScore());
            meta.put("num_questions", config.numQuestions());
            ArrayNode scores = meta.putArray("scores");
            for (int k = 0; k < config.numCandidates(); k++) {
                int index = k;
                outcome.judgements().stream().filter(j -> j.index() == index).findFirst()
                        .ifPresentOrElse(j -> scores.add(j.score()), scores::addNull);
            }
            meta.put("policy", config.policy().name());
            meta.put("threshold", config.threshold());
            meta.put("judge_model", outcome.questions() == null ? "" : outcome.questions().model());
            meta.put("base_model", chosen.model());
            rows.add(new PreferenceExample(content(prompt, "user"), content(chosen.text(), "assistant"),
                    content(rejected.text(), "assistant"), meta, "articles.jsonl:" + outcome.article().id()));
        }
        return rows;
    }

    /**
     * Rows written to each split.
     *
     * @param train rows in {@code train.jsonl}
     * @param valid rows in {@code valid.jsonl}
     */
    record Written(long train, long valid) {
    }

    /**
     * Writes both splits, each to a temporary file moved into place, so a rerun replaces them
     * whole and never duplicates a row.
     *
     * @param outcomes the finished articles, in output order (by article id)
     * @param files the output files
     * @return the rows written to each split
     * @throws UncheckedIOException when a file cannot be written
     */
    Written write(Iterable<ArticleOutcome> outcomes, SynthFiles files) {
        try (AtomicFiles.Staged trainFile = AtomicFiles.stage(files.train());
                AtomicFiles.Staged validFile = AtomicFiles.stage(files.valid())) {
            Written written;
            try (JsonlWriter train = JsonlWriter.create(trainFile.path());
                    JsonlWriter valid = JsonlWriter.create(validFile.path())) {
                for (ArticleOutcome outcome : outcomes) {
                    JsonlWriter target = isValid(outcome.article().id()) ? valid : train;
                    rows(outcome).forEach(row -> target.write(row.toJson()));
                }
                written = new Written(train.rowsWritten(), valid.rowsWritten());
            }
            trainFile.commit();
            validFile.commit();
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + files.train() + " / " + files.valid() + ": "
                    + e.getMessage(), e);
        }
    }

    private Content content(String text, String role) {
        return config.chatFormat() ? Content.messages(List.of(new ChatMessage(role, text))) : Content.text(text);
    }
}
