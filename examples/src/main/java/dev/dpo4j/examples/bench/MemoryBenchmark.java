package dev.dpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.Precision;
import dev.dpo4j.core.quant.QuantConfig;
import dev.dpo4j.core.quant.QuantizedWeight;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import dev.dpo4j.examples.cli.Devices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Peak memory of one model held in float32, float16, 8-bit and 4-bit, each in a fresh JVM (a process's
 * resident high-water mark never goes down, so variants cannot share one): build the model (random
 * weights of a real shape, placed tensor by tensor as a checkpoint load does), then score one row of
 * {@code --tokens} tokens, and report the peak resident set ({@code VmHWM}, JVM and libtorch included)
 * and, on a GPU, the peak device memory, with ratios to float32.
 *
 * <p>Children run with glibc's {@code MALLOC_MMAP_THRESHOLD_} fixed at 128 KiB by default: glibc otherwise
 * raises its threshold as large blocks are freed and then keeps later blocks of that size in its arenas
 * after they are freed, so the resident set ratchets up with the dequantized weights and activations
 * that a forward frees layer by layer (measured on TinyLlama-1.1B in 4-bit: +480 MiB over the load with
 * glibc's default, +130 MiB with the fixed threshold). The fixed threshold measures what the model
 * holds; {@code --malloc-mmap-threshold 0} measures glibc's default.
 *
 * <p>Targets (the issue's): float16 ≤ 0.55× and 4-bit ≤ 0.25× of float32's peak, on a ~1B shape
 * (TinyLlama-1.1B by default: 1.1B parameters, vocab 32000, untied). The table marks each. This is a
 * benchmark, not a test; {@code MemoryBenchmarkTest} runs it small and checks the bookkeeping only.
 */
@Command(name = "memory-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Peak memory of a model in float32, float16, int8 and 4-bit, one fresh JVM per variant.",
            "Prints a Markdown table with ratios against float32."})
public final class MemoryBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESULT = "MEMORY-RESULT ";
    /** The variants and what they load. */
    static final Map<String, LoadOptions> VARIANTS = Map.of(
            "float32", LoadOptions.FLOAT32,
            "float16", LoadOptions.of(Precision.FLOAT16),
            "int8", LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.int8()),
            "nf4", LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(false)),
            "nf4-dq", LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(true)));
    /** The targets: peak ÷ float32's peak. */
    static final Map<String, Double> TARGETS = Map.of("float16", 0.55, "nf4", 0.25, "nf4-dq", 0.25);

    @Option(names = "--model", defaultValue = "tinyllama-1.1b-random",
            description = "A model directory or a random shape (" + "tinyllama-1.1b-random, qwen2.5-0.5b-random, qwen3-0.6b-random, "
                    + "llama3-8b-random, smollm2-135m-random); default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--variants", split = ",", defaultValue = "float32,float16,int8,nf4-dq",
            description = "Which of float32, float16, int8, nf4, nf4-dq (default: ${DEFAULT-VALUE}).")
    List<String> variants;

    @Option(names = "--tokens", defaultValue = "256", description = "Tokens of the scored row (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--child-heap", defaultValue = "256m",
            description = "-Xmx of each child JVM: the heap holds no weights (default: ${DEFAULT-VALUE}).")
    String childHeap;

    @Option(names = "--malloc-mmap-threshold", defaultValue = "131072", paramLabel = "BYTES",
            description = "glibc's MALLOC_MMAP_THRESHOLD_ for each child (default: ${DEFAULT-VALUE}); 0 leaves glibc's "
                    + "dynamic threshold, under which memory freed between layers may stay resident.")
    long mmapThreshold;

    @Option(names = "--child", hidden = true, description = "Run one variant in this JVM and print its result.")
    String child;

    /**
     * One variant's figures.
     *
     * @param variant its name
     * @param precision the load label
     * @param weightBytes bytes of the model's tensors on the device (dense + quantized)
     * @param loadPeakRssMiB peak resident memory after loading
     * @param peakRssMiB peak resident memory after the scoring forward
     * @param peakDeviceMiB peak GPU memory used (NaN on CPU)
     * @param loadSeconds time to build the model
     * @param forwardSeconds time of the scoring forward
     * @param logprob the scored row's log-prob (finite, else the variant is broken)
     */
    public record Result(String variant, String precision, long weightBytes, double loadPeakRssMiB, double peakRssMiB,
                         double peakDeviceMiB, double loadSeconds, double forwardSeconds, double logprob) {
    }

    /**
     * Runs the benchmark from the command line.
     *
     * @param args picocli arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new MemoryBenchmark()).execute(args));
    }

    @Override
    public Integer call() {
        if (child != null) {
            Result r = measure(child);
            System.out.println(RESULT + JSON.valueToTree(r));
            return 0;
        }
        List<Result> results = run();
        System.out.println(table(results));
        return 0;
    }

    /**
     * Runs every variant in its own JVM.
     *
     * @return one result per variant, in order
     */
    public List<Result> run() {
        for (String v : variants) {
            if (!VARIANTS.containsKey(v)) {
                throw new IllegalArgumentException("unknown variant '" + v + "' (use " + String.join(", ",
                        VARIANTS.keySet().stream().sorted().toList()) + ")");
            }
        }
        List<Result> out = new ArrayList<>();
        for (String v : variants) {
            out.add(inChild(v));
            System.err.printf(Locale.ROOT, "%s: peak RSS %.0f MiB%n", v, out.get(out.size() - 1).peakRssMiB());
        }
        return out;
    }

    private Result inChild(String variant) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + childHeap, "-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                MemoryBenchmark.class.getName(), "--child", variant, "--model", model, "--tokens",
                Integer.toString(tokens), "--device", device));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (mmapThreshold > 0) {
                builder.environment().put("MALLOC_MMAP_THRESHOLD_", Long.toString(mmapThreshold));
            }
            Process p = builder.start();
            StringBuilder log = new StringBuilder();
            Result result = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith(RESULT)) {
                        result = JSON.treeToValue(JSON.readTree(line.substring(RESULT.length())), Result.class);
                    } else {
                        log.append(line).append('\n');
                    }
                }
            }
            int status = p.waitFor();
            if (status != 0 || result == null) {
                throw new IllegalStateException("variant " + variant + " failed (exit " + status + "):\n" + log);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Loads and scores one variant in this JVM. */
    private Result measure(String variant) {
        Device where = Devices.parse(device);
        LoadOptions options = VARIANTS.get(variant);
        try (MemoryProbe probe = MemoryProbe.reset(where)) {
            long start = System.nanoTime();
            try (DecoderModel m = RandomModel.open(model, where, options, 42)) {
                double loadSeconds = (System.nanoTime() - start) / 1e9;
                double loadPeak = probe.peakRssMiB();
                long bytes = 0;
                for (NDArray a : m.parameters().values()) {
                    bytes += a.size() * a.getDataType().getNumOfBytes();
                }
                for (QuantizedWeight w : m.quantizedWeights().values()) {
                    bytes += w.storedBytes();
                }
                SplittableRandom random = new SplittableRandom(1);
                long[] ids = random.longs(tokens, 3, m.config().vocabSize()).toArray();
                ScoringRequest row = new ScoringRequest(java.util.Arrays.copyOf(ids, tokens / 2),
                        java.util.Arrays.copyOfRange(ids, tokens / 2, tokens));
                start = System.nanoTime();
                double logprob = new LogProbScorer(m).score(List.of(row), 1).get(0).logprob();
                double forwardSeconds = (System.nanoTime() - start) / 1e9;
                return new Result(variant, m.options().label(), bytes, loadPeak, probe.peakRssMiB(),
                        probe.peakDeviceMiB(), loadSeconds, forwardSeconds, logprob);
            }
        }
    }

    /**
     * The Markdown table of a run, ratios against float32 when it ran.
     *
     * @param results the variants
     * @return the table
     */
    public String table(List<Result> results) {
        Result base = results.stream().filter(r -> r.variant().equals("float32")).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s, one row of %d tokens scored, each variant in a fresh JVM "
                + "(-Xmx%s, MALLOC_MMAP_THRESHOLD_ %s)%n%n", model, device, tokens, childHeap,
                mmapThreshold > 0 ? Long.toString(mmapThreshold) : "glibc's default"));
        sb.append("| variant | precision | weights MiB | peak RSS after load MiB | peak RSS MiB | vs float32 | target "
                + "| peak GPU MiB | load s | forward s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            double ratio = base == null ? Double.NaN : r.peakRssMiB() / base.peakRssMiB();
            Double target = TARGETS.get(r.variant());
            String verdict = target == null ? "-" : String.format(Locale.ROOT, "≤ %.2f: %s", target,
                    Double.isNaN(ratio) ? "?" : ratio <= target ? "met" : "missed");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.3f× | %s | %s | %.1f | %.1f |%n",
                    r.variant(), r.precision(), r.weightBytes() / 1048576.0, r.loadPeakRssMiB(), r.peakRssMiB(), ratio,
                    verdict, Double.isNaN(r.peakDeviceMiB()) ? "-" : String.format(Locale.ROOT, "%.0f", r.peakDeviceMiB()),
                    r.loadSeconds(), r.forwardSeconds()));
        }
        return sb.toString();
    }
}
