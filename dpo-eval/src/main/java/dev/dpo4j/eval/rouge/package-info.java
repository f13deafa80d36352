/**
 * ROUGE-1, ROUGE-2 and ROUGE-L (Lin 2004, "ROUGE: A Package for Automatic Evaluation of
 * Summaries") computed exactly as Google's {@code rouge_score} Python package does with
 * {@code use_stemmer=False}: lowercase, every character outside {@code [a-z0-9]} becomes a
 * space, split on whitespace; n-gram overlaps are clipped multiset counts; ROUGE-L uses the
 * longest common subsequence of the token lists. Entry point: {@link dev.dpo4j.eval.rouge.Rouge}.
 */
package dev.dpo4j.eval.rouge;
