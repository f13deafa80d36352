/**
 * Evaluation results and their reports.
 *
 * <p>The records ({@link dev.dpo4j.eval.report.EvalReport} and the per-contender, pairwise
 * and paired-difference results it holds) are immutable and convert to and from JSON with
 * snake_case keys ({@code toJson()} / {@code fromJson}); {@code NaN} is written as
 * {@code null}. {@link dev.dpo4j.eval.report.EvalReport#write} writes three files:
 * {@code report.json}, {@code report.md} ({@link dev.dpo4j.eval.report.MarkdownReport}) and
 * {@code report.html} ({@link dev.dpo4j.eval.report.HtmlReport}: one self-contained page,
 * inline CSS and SVG charts, no scripts, no URLs). Training curves for the HTML report are
 * read from the trainer's {@code metrics.jsonl} by {@link dev.dpo4j.eval.report.TrainingCurve}.
 */
package dev.dpo4j.eval.report;
