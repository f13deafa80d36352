/**
 * Streaming JSON Lines (JSONL) input and output, the file format of preference data,
 * generated candidates, judge scores and evaluation results.
 *
 * <p>{@link dev.dpo4j.core.io.JsonlReader} reads one JSON object per line and reports a
 * bad line as a {@link dev.dpo4j.core.io.JsonlException} whose message names the file and
 * the line ({@code "in.jsonl:3: malformed JSON: …"}); each row arrives as a
 * {@link dev.dpo4j.core.io.JsonlRow} whose typed accessors name the field as well.
 * {@link dev.dpo4j.core.io.JsonlWriter} writes one object per line and flushes each row, so
 * a long job can be resumed by counting the rows already written
 * ({@link dev.dpo4j.core.io.JsonlWriter#countLines(java.nio.file.Path)}) and appending.
 *
 * <p>{@link dev.dpo4j.core.io.JsonlJournal} is the journal of a resumable job that many threads
 * append to (dpo-data's synthetic pipeline, dpo-eval's evaluator), and
 * {@link dev.dpo4j.core.io.AtomicFiles} writes a small file whole or not at all (manifests,
 * reports, stage configs).
 *
 * <p>Lines are separated by {@code \n}; a {@code \r} before it and a UTF-8 byte order mark
 * at the start of the file are ignored; lines holding only spaces, tabs or carriage returns
 * are blank and skipped. See <a href="https://jsonlines.org/">jsonlines.org</a>.
 */
package dev.dpo4j.core.io;
