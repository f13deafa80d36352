/**
 * Evaluation: QA-score comparison, pairwise judging, ROUGE, confidence intervals and reports
 * (issue #5). This module builds on {@code dpo-data}; its classes land with that issue.
 */
package dev.dpo4j.eval;
