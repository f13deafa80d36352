/**
 * Dataset input: {@link dev.dpo4j.data.io.Dataset}, a re-readable, streaming sequence of
 * {@link dev.dpo4j.data.io.DataRow}s with select, sample, shuffle and train/validation split;
 * {@link dev.dpo4j.data.io.Datasets}, which opens JSON Lines, JSON, CSV and Parquet files
 * (gzip transparently), folders of them, and Hugging Face Hub dataset splits through the shared
 * Hub cache. Every bad row is reported as a {@link dev.dpo4j.data.io.DatasetException} naming the
 * file and line.
 */
package dev.dpo4j.data.io;
