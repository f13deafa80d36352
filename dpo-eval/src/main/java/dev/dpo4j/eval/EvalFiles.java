package dev.dpo4j.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of an evaluation's output directory. Journals are appended one flushed line per
 * answer as it arrives; the reports are rewritten whole at the end of every run.
 *
 * @param dir the output directory
 */
public record EvalFiles(Path dir) {

    /** Validates that the directory is given. */
    public EvalFiles {
        Objects.requireNonNull(dir, "EvalFiles.dir must not be null");
    }

    /** @return {@code questions.jsonl}: one question set per article (the data pipeline's line format) */
    public Path questions() {
        return dir.resolve("questions.jsonl");
    }

    /**
     * @param contender the contender's name
     * @return {@code generations/<name>.jsonl}: one output (or failure) per item
     */
    public Path generations(String contender) {
        return dir.resolve("generations").resolve(contender + ".jsonl");
    }

    /**
     * @param contender the contender's name
     * @return {@code qa/<name>.jsonl}: one QA judgement (answers, score) per item
     */
    public Path qa(String contender) {
        return dir.resolve("qa").resolve(contender + ".jsonl");
    }

    /**
     * @param a the first contender of the pair
     * @param b the second contender
     * @return {@code pairwise/<a>__vs__<b>.jsonl}: both orders' verdicts per item
     */
    public Path pairwise(String a, String b) {
        return dir.resolve("pairwise").resolve(pairKey(a, b) + ".jsonl");
    }

    /**
     * A pair's name, in its journal's file name and in the report.
     *
     * @param a the first contender of the pair
     * @param b the second contender
     * @return {@code <a>__vs__<b>}
     */
    public static String pairKey(String a, String b) {
        return a + "__vs__" + b;
    }

    /** @return {@code eval.json}: the settings that decide the requests, checked on a rerun */
    public Path manifest() {
        return dir.resolve("eval.json");
    }

    /** @return {@code report.json}, written at the end of every run */
    public Path reportJson() {
        return dir.resolve("report.json");
    }

    /** @return {@code report.md}, written at the end of every run */
    public Path reportMarkdown() {
        return dir.resolve("report.md");
    }

    /** @return {@code report.html}, written at the end of every run */
    public Path reportHtml() {
        return dir.resolve("report.html");
    }

    /** @return {@code .lock}: held while a run uses the directory */
    public Path lock() {
        return dir.resolve(".lock");
    }
}
