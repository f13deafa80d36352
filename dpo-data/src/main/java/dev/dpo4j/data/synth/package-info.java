/**
 * The synthetic preference pipeline for summarization (the llmforge recipe): a judge model writes
 * multiple-choice questions per article ({@link dev.dpo4j.data.synth.QuestionWriter}), the base
 * model samples several summaries ({@link dev.dpo4j.data.synth.CandidateWriter}), the judge answers
 * the questions from each summary alone ({@link dev.dpo4j.data.synth.QaJudge}), and a
 * {@link dev.dpo4j.data.synth.PairPolicy} turns the scores into chosen/rejected pairs.
 *
 * <p>{@link dev.dpo4j.data.synth.SynthPipeline} runs it all concurrently, journaling every answer
 * as it arrives so that a killed run resumes without repeating a finished request; see its Javadoc
 * for the output directory layout. Prompts and JSON schemas are resource files
 * ({@link dev.dpo4j.data.synth.SynthPrompts}) that a user may override.
 */
package dev.dpo4j.data.synth;
