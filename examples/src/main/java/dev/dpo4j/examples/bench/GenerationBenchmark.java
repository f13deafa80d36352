package dev.dpo4j.examples.bench;

import ai.djl.Device;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.generate.Generator;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.examples.cli.Devices;
import dev.dpo4j.examples.cli.ModelLoading;
import dev.dpo4j.examples.cli.PrecisionOptions;
import dev.dpo4j.examples.cli.PrecisionSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Generation throughput with and without the KV cache, and peak memory, as Markdown table rows.
 *
 * <p>For each model: reset the memory peaks, load (or build) the model, make {@code batch} random
 * prompts of {@code prompt} tokens, run greedy generation of {@code new tokens} (EOS ignored) with the
 * cache and without it — first the warm-up runs, then the measured runs, cached and uncached
 * alternating so that a change in machine load hits both — and report the median rate of each, their
 * ratio, whether both produced the same tokens, and the peak heap and resident memory. This is a
 * benchmark, not a test: nothing here asserts a speed.
 */
@Command(name = "generation-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure generation tokens/s with and without the KV cache, and peak memory.",
            "Prints one Markdown table row per --model."})
public final class GenerationBenchmark implements Callable<Integer> {

    @Option(names = "--model", required = true,
            description = "A model directory, or random weights of a real model's shape: smollm2-135m-random, "
                    + "qwen2.5-0.5b-random, qwen3-0.6b-random, tinyllama-1.1b-random, llama3-8b-random. Repeat to benchmark several "
                    + "models in one table.")
    List<String> models = new ArrayList<>();

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    PrecisionOptions precision;

    @Option(names = "--prompt-length", defaultValue = "32", description = "Tokens per prompt (default: ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--new-tokens",
            description = "Tokens generated per prompt (default: 64 for a directory, 32 for " + RandomModel.NAME + ").")
    Integer newTokens;

    @Option(names = "--batch", defaultValue = "1", description = "Prompts per generate call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs per mode (default: ${DEFAULT-VALUE}).")
    int warmupRuns;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per mode; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    int measuredRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of prompts and random weights "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * Runs the benchmark from the command line and exits with its status.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new GenerationBenchmark()).execute(args));
    }

    @Override
    public Integer call() {
        Device where = Devices.parse(device);
        PrecisionSettings.Resolved resolved = ModelLoading.prepare(where, precision.settings(),
                new PrintWriter(System.err, true));
        System.out.println(BenchmarkResult.markdownHeader());
        for (String model : models) {
            BenchmarkOptions options = BenchmarkOptions.builder(model).promptLength(promptLength).newTokens(newTokens)
                    .batchSize(batchSize).warmupRuns(warmupRuns).measuredRuns(measuredRuns).seed(seed).device(where)
                    .load(resolved.options()).build();
            BenchmarkResult result = run(options);
            System.out.println(result.markdownRow());
            System.out.flush();
        }
        return 0;
    }

    /**
     * Benchmarks one configuration.
     *
     * @param options what to run
     * @return the figures
     * @throws IllegalArgumentException when the model is neither a directory nor {@value RandomModel#NAME}
     */
    public static BenchmarkResult run(BenchmarkOptions options) {
        try (MemoryProbe probe = MemoryProbe.reset(options.device());
             DecoderModel model = open(options)) {
            long parameters = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum()
                    + model.quantizedWeights().values().stream().mapToLong(w -> w.shape()[0] * w.shape()[1]).sum();
            List<long[]> prompts = prompts(options, model.config().vocabSize());
            Generator generator = new Generator(model, new long[0], null);
            GenerationConfig cached = config(options, true);
            GenerationConfig uncached = config(options, false);
            for (int i = 0; i < options.warmupRuns(); i++) {
                generator.generate(prompts, cached);
                generator.generate(prompts, uncached);
            }
            double[] cachedRates = new double[options.measuredRuns()];
            double[] uncachedRates = new double[options.measuredRuns()];
            List<long[]> cachedTokens = List.of();
            List<long[]> uncachedTokens = List.of();
            for (int i = 0; i < options.measuredRuns(); i++) {
                long start = System.nanoTime();
                cachedTokens = tokens(generator.generate(prompts, cached));
                cachedRates[i] = rate(cachedTokens, System.nanoTime() - start);
                start = System.nanoTime();
                uncachedTokens = tokens(generator.generate(prompts, uncached));
                uncachedRates[i] = rate(uncachedTokens, System.nanoTime() - start);
                System.err.printf(Locale.ROOT, "%s run %d/%d: cached %.1f tok/s, uncached %.1f tok/s%n",
                        name(options.model()), i + 1, options.measuredRuns(), cachedRates[i], uncachedRates[i]);
            }
            return new BenchmarkResult(name(options.model()), model.options().label(), parameters,
                    options.promptLength(), options.newTokens(), options.batchSize(), options.measuredRuns(),
                    median(cachedRates), median(uncachedRates), probe.peakHeapMiB(), probe.peakRssMiB(),
                    probe.rssWasReset(), probe.peakDeviceMiB(), cachedTokens, uncachedTokens);
        }
    }

    private static DecoderModel open(BenchmarkOptions options) {
        return RandomModel.open(options.model(), options.device(), options.load(), options.seed());
    }

    private static String name(String model) {
        if (RandomModel.isNamed(model)) {
            return model;
        }
        Path file = Path.of(model).toAbsolutePath().normalize().getFileName();
        return file == null ? model : file.toString();
    }

    /** Greedy decoding of exactly {@code newTokens} tokens: no EOS stop, no stop strings. */
    private static GenerationConfig config(BenchmarkOptions options, boolean useCache) {
        return GenerationConfig.builder().maxNewTokens(options.newTokens()).stopOnEos(false).useCache(useCache)
                .build();
    }

    /** {@code batch} prompts of random ids in [3, V), so BOS/EOS/pad-like low ids are avoided. */
    private static List<long[]> prompts(BenchmarkOptions options, int vocab) {
        SplittableRandom random = new SplittableRandom(options.seed());
        List<long[]> prompts = new ArrayList<>();
        for (int b = 0; b < options.batchSize(); b++) {
            prompts.add(random.longs(options.promptLength(), Math.min(3, vocab - 1), vocab).toArray());
        }
        return prompts;
    }

    private static List<long[]> tokens(List<Generation> generations) {
        return generations.stream().map(Generation::tokens).toList();
    }

    private static double rate(List<long[]> tokens, long nanos) {
        long count = tokens.stream().mapToLong(t -> t.length).sum();
        return count / (nanos / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
