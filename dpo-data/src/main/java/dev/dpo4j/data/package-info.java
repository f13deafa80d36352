/**
 * Preference data: {@link dev.dpo4j.data.PreferenceExample} (TRL's prompt/chosen/rejected, text or
 * chat messages, plus metadata), the {@link dev.dpo4j.data.PreferenceDataset} builder (format
 * adapters, filters, {@link dev.dpo4j.data.DatasetStats}, train/valid JSONL). Dataset readers live in
 * {@code dev.dpo4j.data.io}, the format adapters in {@code dev.dpo4j.data.format}, the synthetic
 * QA-judge pipeline in {@code dev.dpo4j.data.synth}.
 */
package dev.dpo4j.data;
