package dev.dpo4j.examples.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@link GenerationBenchmark} configuration.
 *
 * @param model the model's name (directory name, or one of {@link RandomModel#NAMES})
 * @param precision how the weights were held, e.g. {@code float16+nf4-dq-b64}
 * @param parameters number of weights (tied embeddings counted once)
 * @param promptLength tokens per prompt
 * @param newTokens tokens generated per prompt
 * @param batchSize prompts per call
 * @param measuredRuns timed runs per mode
 * @param cachedTokensPerSecond median over the timed runs of (batch · new tokens) / wall time of one
 *     {@code Generator.generate} call with the KV cache (prefill included)
 * @param uncachedTokensPerSecond the same without the cache (the whole sequence recomputed per token)
 * @param peakHeapMiB peak Java heap while the model was loaded and run, see {@link MemoryProbe}
 * @param peakRssMiB peak resident memory of the process ({@code VmHWM}), which holds the off-heap tensors
 * @param rssWasReset whether {@code VmHWM} was reset before this model (else it is the process's peak)
 * @param peakDeviceMiB peak GPU memory used (what nvidia-smi shows), NaN on CPU
 * @param cachedTokens each prompt's new tokens from the last cached run
 * @param uncachedTokens each prompt's new tokens from the last uncached run
 */
public record BenchmarkResult(String model, String precision, long parameters, int promptLength, int newTokens,
                              int batchSize, int measuredRuns, double cachedTokensPerSecond,
                              double uncachedTokensPerSecond, double peakHeapMiB, double peakRssMiB,
                              boolean rssWasReset, double peakDeviceMiB, List<long[]> cachedTokens,
                              List<long[]> uncachedTokens) {

    /** Copies the token lists. */
    public BenchmarkResult {
        cachedTokens = cachedTokens.stream().map(long[]::clone).toList();
        uncachedTokens = uncachedTokens.stream().map(long[]::clone).toList();
    }

    /** Speed-up of the cache: cached / uncached tokens per second, both measured in this run. */
    public double ratio() {
        return cachedTokensPerSecond / uncachedTokensPerSecond;
    }

    /** Whether the cached and uncached runs produced the same tokens for every prompt. */
    public boolean tokensMatch() {
        if (cachedTokens.size() != uncachedTokens.size()) {
            return false;
        }
        for (int i = 0; i < cachedTokens.size(); i++) {
            if (!Arrays.equals(cachedTokens.get(i), uncachedTokens.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The header of the Markdown table that {@link #markdownRow()} fills.
     *
     * @return two lines: column names and the alignment row
     */
    public static String markdownHeader() {
        return "| model | precision | params | prompt | new tokens | batch | cached tok/s | uncached tok/s | ratio "
                + "| same tokens | peak heap MiB | peak RSS MiB | peak GPU MiB |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |";
    }

    /**
     * This result as one Markdown table row. A peak RSS that could not be reset is marked with {@code *}.
     *
     * @return the row
     */
    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %.1f | %.1f | %.2f | %s | %.0f | %.0f%s | %s |",
                model, precision, humanCount(parameters), promptLength, newTokens, batchSize, cachedTokensPerSecond,
                uncachedTokensPerSecond, ratio(), tokensMatch() ? "yes" : "no", peakHeapMiB, peakRssMiB,
                rssWasReset ? "" : "*", Double.isNaN(peakDeviceMiB) ? "-" : String.format(Locale.ROOT, "%.0f",
                        peakDeviceMiB));
    }

    private static String humanCount(long n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 1_000) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return Long.toString(n);
    }
}
