package dev.dpo4j.data.synth;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of a run's output directory.
 *
 * @param dir the output directory
 */
public record SynthFiles(Path dir) {

    /** Validates that the directory is given. */
    public SynthFiles {
        Objects.requireNonNull(dir, "SynthFiles.dir must not be null");
    }

    /** @return {@code questions.jsonl}: one question set per line, as the judge's answers arrive */
    public Path questions() {
        return dir.resolve("questions.jsonl");
    }

    /** @return {@code summaries.jsonl}: one candidate summary per line */
    public Path summaries() {
        return dir.resolve("summaries.jsonl");
    }

    /** @return {@code judgements.jsonl}: one judged summary (answers, score) per line */
    public Path judgements() {
        return dir.resolve("judgements.jsonl");
    }

    /** @return {@code rejects.jsonl}: one failed request per line, with its reason */
    public Path rejects() {
        return dir.resolve("rejects.jsonl");
    }

    /** @return {@code articles.jsonl}: one finished article per line (questions, summaries, scores, pairs) */
    public Path articles() {
        return dir.resolve("articles.jsonl");
    }

    /** @return {@code train.jsonl}: the training pairs, rewritten at the end of every run */
    public Path train() {
        return dir.resolve("train.jsonl");
    }

    /** @return {@code valid.jsonl}: the validation pairs, rewritten at the end of every run */
    public Path valid() {
        return dir.resolve("valid.jsonl");
    }

    /** @return {@code report.json}: the counts of the last finished run */
    public Path report() {
        return dir.resolve("report.json");
    }

    /** @return {@code synth.json}: the settings that decide the requests, checked on a rerun */
    public Path manifest() {
        return dir.resolve("synth.json");
    }

    /** @return {@code .lock}: held while a run uses the directory */
    public Path lock() {
        return dir.resolve(".lock");
    }
}
