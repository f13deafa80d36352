/**
 * Evaluation of tuned models against their base and against baseline endpoints: the
 * {@link dev.dpo4j.eval.Evaluator} has every {@link dev.dpo4j.eval.Contender} answer every
 * {@link dev.dpo4j.eval.EvalItem} of a held-out set, then scores the outputs three ways and writes
 * an {@link dev.dpo4j.eval.report.EvalReport} (JSON, Markdown, HTML).
 *
 * <ul>
 *   <li>QA score: the judge writes multiple-choice questions about each article and answers them
 *       from each output alone, with dpo-data's {@link dev.dpo4j.data.synth.QuestionWriter} and
 *       {@link dev.dpo4j.data.synth.QaJudge}, prompts and seeds, so evaluation measures what the
 *       synthetic preference pairs were selected by (QAGS, Wang et al. 2020; the llmforge
 *       summarization template).</li>
 *   <li>Pairwise judging: {@link dev.dpo4j.eval.PairwiseJudge} compares two contenders' outputs in
 *       both orders and counts a win only when both agree (MT-Bench, Zheng et al. 2023).</li>
 *   <li>ROUGE against references, output lengths, and paired per-item differences with bootstrap
 *       intervals and sign-flip p values ({@link dev.dpo4j.eval.rouge}, {@link dev.dpo4j.eval.stats}).</li>
 * </ul>
 *
 * <p>Like dpo-data's synthetic pipeline, a run journals every answer as it arrives (one flushed
 * JSONL line per request, failures included, see {@link dev.dpo4j.eval.EvalFiles}), resumes after
 * a crash asking only what is missing, and refuses to mix results made with other settings.
 */
package dev.dpo4j.eval;
