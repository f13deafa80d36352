/**
 * Benchmarks. {@link dev.dpo4j.examples.bench.GenerationBenchmark} measures generation throughput with
 * and without the KV cache, and the peak Java heap and native resident memory, on a checkpoint directory
 * or on a random-weight model of SmolLM2-135M's shape ({@link dev.dpo4j.examples.bench.RandomModel}).
 * Results are typed records ({@link dev.dpo4j.examples.bench.BenchmarkResult}) printed as Markdown table
 * rows; see {@code docs/benchmarks.md} for the figures measured so far.
 */
package dev.dpo4j.examples.bench;
