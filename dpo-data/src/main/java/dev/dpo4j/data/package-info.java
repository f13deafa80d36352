/**
 * Preference data: the {@link dev.dpo4j.data.PreferenceDataset} builder behind {@code data prepare} (format
 * adapters, filters that count the tokens training feeds, {@link dev.dpo4j.data.DatasetStats}, train/valid
 * JSONL). The layers below it, each importing only those under it: dataset readers (JSONL, JSON, CSV,
 * Parquet, Hub) in {@code dev.dpo4j.data.io}; the format adapters, the implicit-prompt rule and the
 * example type {@link dev.dpo4j.data.format.PreferenceExample} in {@code dev.dpo4j.data.format}; the readers
 * that turn rows into the trainers' token-id examples in {@code dev.dpo4j.data.tokenize}. The synthetic
 * QA-judge pipeline is in {@code dev.dpo4j.data.synth}.
 */
package dev.dpo4j.data;
