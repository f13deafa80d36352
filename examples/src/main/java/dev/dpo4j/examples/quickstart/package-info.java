/**
 * {@code dpo4j quickstart}: the whole pipeline offline on a model it makes itself. A synthetic news
 * corpus ({@link dev.dpo4j.examples.quickstart.NewsCorpus}), a word-level tokenizer
 * ({@link dev.dpo4j.examples.quickstart.WordTokenizerFiles}), a tiny Llama trained from scratch, an
 * embedded judge behind the {@code ChatModel} interface
 * ({@link dev.dpo4j.examples.quickstart.EmbeddedJudge}: questions from the article's facts, answers
 * by matching the summary), then dpo-data's synthetic pipeline, DPO with LoRA and dpo-eval's
 * {@code Evaluator} ({@link dev.dpo4j.examples.quickstart.Quickstart}).
 */
package dev.dpo4j.examples.quickstart;
