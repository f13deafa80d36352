package dev.dpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.engine.Tf32;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.loss.LossSettings;
import dev.dpo4j.core.loss.PreferenceLogps;
import dev.dpo4j.core.loss.WeightedLoss;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.TokenIds;
import dev.dpo4j.core.optim.AdamW;
import dev.dpo4j.core.optim.GradClipping;
import dev.dpo4j.core.train.LossScaler;
import dev.dpo4j.core.train.PackedBatch;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SegmentLogps;
import dev.dpo4j.examples.cli.Devices;
import dev.dpo4j.examples.cli.ModelLoading;
import dev.dpo4j.examples.cli.PrecisionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Time and peak memory of one DPO + LoRA optimizer step on summarization-shaped pairs (a long prompt,
 * two short responses), in three variants measured in the same process:
 * <ol>
 *   <li><b>plain</b> — TRL's layout: {@code [prompt, chosen]} and {@code [prompt, rejected]} as two
 *       rows, the reference forward run every step;
 *   <li><b>prefix-shared</b> — one {@code [prompt, chosen, rejected]} row per pair, the reference run
 *       every step (also shared);
 *   <li><b>prefix-shared + cached reference</b> — as 2, reference log-probs read from a cache.
 * </ol>
 * A step is: reference forward (1, 2), policy forward, DPO loss, backward, gradient clipping, AdamW.
 * Variants alternate within each round so machine-load drift hits all of them. Tokens/s counts the
 * tokens TRL would process (2·prompt + chosen + rejected per pair), so the rates compare work done.
 * The model is a directory or random weights of a real shape ({@link RandomModel#NAMES}: SmolLM2-135M,
 * Qwen2.5-0.5B, TinyLlama-1.1B, Llama-3-8B) on {@code --device cpu|gpu}, in any {@code --dtype}, optionally
 * on a quantized base ({@code --load-in-4bit}, {@code --load-in-8bit}); float16 steps use the trainer's
 * dynamic loss scaling. Peak memory is the process's resident set and, on a GPU, the device's used memory.
 * This is a benchmark, not a test: nothing here asserts a speed.
 */
@Command(name = "dpo-step-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure one DPO+LoRA step: plain vs prefix-shared vs prefix-shared + cached reference.",
            "Prints a Markdown table with ratios against plain."})
public final class DpoStepBenchmark implements Callable<Integer> {
    @Option(names = "--model", defaultValue = RandomModel.NAME,
            description = "A model directory, or random weights of a real model's shape: smollm2-135m-random "
                    + "(default), qwen2.5-0.5b-random, qwen3-0.6b-random, tinyllama-1.1b-random, llama3-8b-random.")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    PrecisionOptions precision;

    @Option(names = "--prompt-length", defaultValue = "1024", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--chosen-length", defaultValue = "96", description = "Chosen tokens (default: ${DEFAULT-VALUE}).")
    int chosenLength;

    @Option(names = "--rejected-length", defaultValue = "128", description = "Rejected tokens (default: ${DEFAULT-VALUE}).")
    int rejectedLength;

    @Option(names = "--pairs", defaultValue = "1", description = "Pairs per step (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--pairs-file", paramLabel = "FILE",
            description = "Token-id pairs (JSONL: prompt_ids, chosen_ids, rejected_ids) to use instead of random ones: "
                    + "the first --pairs rows, e.g. the pairs.jsonl of ../shared/gpu/reference/make_model.py, so the "
                    + "Python reference and dpo4j run the same tokens; the length options are then ignored.")
    Path pairsFile;

    @Option(names = "--checkpointing", arity = "1", defaultValue = "true", paramLabel = "BOOL",
            description = "Layer-wise recomputation in backward (default: ${DEFAULT-VALUE}); false keeps every "
                    + "layer's activations (attention scores included) until backward.")
    boolean checkpointing;

    @Option(names = "--variants", split = ",", defaultValue = "plain,prefix-shared,cached",
            description = "Which variants to run (default: ${DEFAULT-VALUE}). Peak RSS is a process-wide high-water "
                    + "mark that freed memory does not lower, so measure memory with one variant per process.")
    List<String> selected;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed rounds (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "2", description = "Timed rounds; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of weights and tokens (default: ${DEFAULT-VALUE}).")
    long seed;

    private LoadOptions loadOptions;

    /**
     * One variant's figures.
     *
     * @param variant the layout
     * @param seconds median step time
     * @param tokensPerSecond TRL-equivalent tokens per second
     * @param peakRssMiB peak resident memory of the process during a step
     * @param peakDeviceMiB peak GPU memory used during a step (NaN on CPU)
     * @param loss the last step's loss
     * @param skippedSteps steps the float16 loss scaler skipped (0 in float32)
     */
    public record Row(String variant, double seconds, double tokensPerSecond, double peakRssMiB, double peakDeviceMiB,
                      double loss, long skippedSteps) {
        /** Pairs per second at this step time. */
        public double pairsPerSecond(int pairs) {
            return pairs / seconds;
        }
    }

    /**
     * Runs the benchmark from the command line.
     *
     * @param args picocli arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DpoStepBenchmark()).execute(args));
    }

    @Override
    public Integer call() {
        List<Row> rows = run();
        System.out.println(table(rows));
        return 0;
    }

    /**
     * Measures every variant.
     *
     * @return one row per selected variant, in the order plain, prefix-shared, cached
     */
    public List<Row> run() {
        String[] names = {"plain", "prefix-shared", "prefix-shared + cached reference"};
        String[] keys = {"plain", "prefix-shared", "cached"};
        List<Integer> chosen = new ArrayList<>();
        for (int v = 0; v < keys.length; v++) {
            if (selected.contains(keys[v])) {
                chosen.add(v);
            }
        }
        for (String key : selected) {
            if (!List.of(keys).contains(key)) {
                throw new IllegalArgumentException("unknown variant '" + key + "'; use plain, prefix-shared, cached");
            }
        }
        String[] variants = names;
        Tally[] tallies = new Tally[variants.length];
        for (int v = 0; v < variants.length; v++) {
            tallies[v] = new Tally(runs);
        }
        Device where = Devices.parse(device);
        loadOptions = ModelLoading.prepare(where, precision.settings(), new PrintWriter(System.err, true)).options();
        try (DecoderModel model = RandomModel.open(this.model, where, loadOptions, seed);
             LoraModel lora = LoraModel.create(model, LoraConfig.of(8, 16), seed);
             AdamW optimizer = AdamW.withDefaults()) {
            List<PreferencePair> batch = pairs(model.config().vocabSize());
            float[] cachedReference = reference(lora, PackedBatch.ofPairs(batch, PackedBatch.Layout.SHARED_PROMPT, 0));
            LossScaler[] scalers = new LossScaler[variants.length];
            for (int round = 0; round < warmup + runs; round++) {
                for (int v : chosen) {
                    if (model.dtype() == DataType.FLOAT16 && scalers[v] == null) {
                        scalers[v] = new LossScaler();
                    }
                    Tally tally = tallies[v];
                    try (MemoryProbe probe = MemoryProbe.reset(where)) {
                        long start = System.nanoTime();
                        tally.loss = step(lora, optimizer, batch, v, cachedReference, scalers[v]);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        if (round >= warmup) {
                            tally.seconds[round - warmup] = seconds;
                            tally.peakRssMiB = Math.max(tally.peakRssMiB, probe.peakRssMiB());
                            tally.peakDeviceMiB = where.isGpu() ? Math.max(tally.peakDeviceMiB, probe.peakDeviceMiB())
                                    : Double.NaN;
                        }
                    }
                    tally.skippedSteps = scalers[v] == null ? 0 : scalers[v].skippedSteps();
                }
            }
        }
        long tokens = (long) pairs * (2L * promptLength + chosenLength + rejectedLength);
        List<Row> rows = new ArrayList<>();
        for (int v : chosen) {
            Tally t = tallies[v];
            double median = median(t.seconds);
            rows.add(new Row(variants[v], median, tokens / median, t.peakRssMiB, t.peakDeviceMiB, t.loss, t.skippedSteps));
        }
        return rows;
    }

    /**
     * One optimizer step of a variant; returns its loss. In float16 the loss is scaled for backward and
     * the gradients unscaled before clipping, and an overflowing step is skipped, as the trainer does.
     */
    private double step(LoraModel lora, AdamW optimizer, List<PreferencePair> batch, int variant, float[] cached,
                        LossScaler scaler) {
        PackedBatch layout = PackedBatch.ofPairs(batch,
                variant == 0 ? PackedBatch.Layout.SEPARATE : PackedBatch.Layout.SHARED_PROMPT, 0);
        float[] ref = variant == 2 ? cached : reference(lora, layout);
        for (NDArray p : lora.parameters().values()) {
            Autograd.zeroGradient(p);
        }
        SegmentLogps runner = new SegmentLogps(lora.model());
        double lossValue;
        try (NDManager manager = lora.model().manager().newSubManager()) {
            SegmentLogps.Pass pass = runner.run(layout, manager,
                    checkpointing ? SegmentLogps.Mode.TRAIN_CHECKPOINTED : SegmentLogps.Mode.TRAIN, -1);
            NDArray loss;
            try (Autograd.Scope on = Autograd.recording(true)) {
                int b = batch.size();
                NDArray policy = pass.logps().reshape(b, 2);
                float[] refChosen = new float[b];
                float[] refRejected = new float[b];
                float[] lengths = new float[b];
                for (int i = 0; i < b; i++) {
                    refChosen[i] = ref[2 * i];
                    refRejected[i] = ref[2 * i + 1];
                    lengths[i] = 1;
                }
                PreferenceLogps in = new PreferenceLogps(policy.get(":, 0"), policy.get(":, 1"),
                        manager.create(refChosen), manager.create(refRejected), manager.create(lengths),
                        manager.create(lengths));
                loss = WeightedLoss.of(List.of("sigmoid"), null).loss(in, LossSettings.defaults());
                lossValue = loss.toDoubleArray()[0];
                if (scaler != null) {
                    loss = scaler.scaled(loss, 1);
                }
            }
            pass.backward(loss);
        }
        Map<String, NDArray> grads = new LinkedHashMap<>();
        lora.parameters().forEach((k, p) -> grads.put(k, p.getGradient()));
        boolean overflow = scaler != null && scaler.unscaleAndUpdate(grads) != null;
        if (!overflow) {
            GradClipping.clipGlobalNorm(grads, 1.0);
            optimizer.step(lora.parameters(), grads, 1e-5);
        }
        grads.values().forEach(NDArray::close);
        return lossValue;
    }

    private static float[] reference(LoraModel lora, PackedBatch layout) {
        try (NDManager manager = lora.model().manager().newSubManager();
             LoraModel.Disabled off = lora.disabled()) {
            return new SegmentLogps(lora.model()).run(layout, manager, SegmentLogps.Mode.INFERENCE, -1)
                    .logps().toFloatArray();
        }
    }

    private List<PreferencePair> pairs(int vocab) {
        if (pairsFile != null) {
            List<PreferencePair> out = new ArrayList<>();
            try (JsonlReader reader = JsonlReader.open(pairsFile)) {
                for (JsonlRow row : reader) {
                    if (out.size() == pairs) {
                        break;
                    }
                    out.add(new PreferencePair(ids(row, "prompt_ids", vocab), ids(row, "chosen_ids", vocab),
                            ids(row, "rejected_ids", vocab)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(pairsFile + ": " + e.getMessage(), e);
            }
            if (out.size() < pairs) {
                throw new IllegalArgumentException(pairsFile + ": " + out.size() + " pairs, --pairs asks " + pairs);
            }
            promptLength = out.get(0).promptIds().length; // for the table and the tokens/s count
            chosenLength = out.get(0).chosenIds().length;
            rejectedLength = out.get(0).rejectedIds().length;
            return out;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            out.add(new PreferencePair(ids(random, promptLength, vocab), ids(random, chosenLength, vocab),
                    ids(random, rejectedLength, vocab)));
        }
        return out;
    }

    private static long[] ids(JsonlRow row, String field, int vocab) {
        long[] ids = row.longArray(field);
        TokenIds.check(ids, vocab, row.source() + ":" + row.lineNumber() + " " + field);
        return ids;
    }

    private static long[] ids(SplittableRandom random, int n, int vocab) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }

    /**
     * The Markdown table of a run.
     *
     * @param rows the variants, plain first
     * @return the table
     */
    public String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s in %s, LoRA r 8 all-linear, %d pair(s) of "
                + "prompt %d + chosen %d + rejected %d, checkpointing %s, TF32 %s, median of %d%n%n", model, device,
                loadOptions == null ? "?" : loadOptions.label(), pairs, promptLength, chosenLength, rejectedLength,
                checkpointing, Tf32.enabled(), runs));
        sb.append("| variant | step s | pairs/s | tokens/s | speed-up vs plain | peak RSS MiB | peak GPU MiB | loss "
                + "| skipped |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        double plain = rows.get(0).variant().equals("plain") ? rows.get(0).seconds() : Double.NaN;
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f | %.0f | %s | %.0f | %s | %.6f | %d |%n",
                    r.variant(), r.seconds(), r.pairsPerSecond(pairs), r.tokensPerSecond(),
                    Double.isNaN(plain) ? "-" : String.format(Locale.ROOT, "%.2f×", plain / r.seconds()),
                    r.peakRssMiB(), Double.isNaN(r.peakDeviceMiB()) ? "-" : String.format(Locale.ROOT, "%.0f",
                            r.peakDeviceMiB()), r.loss(), r.skippedSteps()));
        }
        return sb.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** What one variant's timed steps gave, filled in as the rounds run. */
    private static final class Tally {
        /** Seconds of each timed step. */
        final double[] seconds;
        /** Highest resident memory over the timed steps, MiB. */
        double peakRssMiB;
        /** Highest GPU memory over the timed steps, MiB (NaN on CPU). */
        double peakDeviceMiB;
        /** The last step's loss. */
        double loss;
        /** Steps the float16 loss scaler skipped. */
        long skippedSteps;

        Tally(int runs) {
            this.seconds = new double[runs];
        }
    }
}
