package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.loss.LossResult;
import dev.dpo4j.core.loss.PreferenceLogps;
import dev.dpo4j.core.loss.WeightedLoss;
import dev.dpo4j.core.util.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct Preference Optimization (Rafailov et al. 2023) and its family: the loss of a micro-batch is
 * TRL's weighted {@code loss_type} over the policy's and the reference's completion log-probs.
 *
 * <p>The reference is the same model with its adapters off ({@code reference: base}) or with the
 * starting adapter's weights swapped in ({@code reference: initial}); never a second copy of the
 * weights. With {@code precompute_ref_log_probs} its log-probs are computed once before training and
 * kept in a {@link ReferenceCache} file in a cache folder shared across runs, reused across epochs,
 * restarts and later runs on the same model and data.
 *
 * <p>Segments of a pass are pair-major: 2i chosen, 2i + 1 rejected (see {@link PackedBatch}).
 */
public final class DpoObjective implements Objective<PreferencePair> {
    private final LoraModel lora;
    private final TrainConfig config;
    private final Path cacheDir;
    private final WeightedLoss loss;
    private final Map<String, float[]> initialAdapter; // reference: initial
    private final PrintStream progress;
    private final SegmentLogps runner;
    private ReferenceCache trainCache;
    private ReferenceCache evalCache;
    private float[] pendingReference; // on-the-fly reference of the next loss() call

    /**
     * Creates the objective. With {@code reference: initial} the adapter's current weights are taken
     * as the frozen reference, so create it before any training step.
     *
     * @param lora the adapters being trained
     * @param config loss type, β, reference policy, caching
     * @param cacheDir the folder of the reference cache (shared across runs: see {@link ReferenceCache})
     * @param progress where the precompute progress bar and the cache's note go, or null
     */
    public DpoObjective(LoraModel lora, TrainConfig config, Path cacheDir, PrintStream progress) {
        this.lora = lora;
        this.config = config;
        this.cacheDir = cacheDir;
        this.loss = WeightedLoss.of(config.lossType(), config.lossWeights());
        this.initialAdapter = config.referenceIsInitialAdapter() ? lora.snapshot() : null;
        this.progress = progress;
        this.runner = new SegmentLogps(lora.model());
    }

    @Override
    public String name() {
        return "dpo";
    }

    @Override
    public List<long[]> tokens(PreferencePair example) {
        return List.of(example.promptIds(), example.chosenIds(), example.rejectedIds());
    }

    @Override
    public PackedBatch layout(List<PreferencePair> examples) {
        return PackedBatch.ofPairs(examples,
                config.sharePrompt() ? PackedBatch.Layout.SHARED_PROMPT : PackedBatch.Layout.SEPARATE,
                config.packing() ? config.maxLength() : 0);
    }

    @Override
    public void prepare(List<PreferencePair> train, List<PreferencePair> eval) {
        if (!config.precomputeRefLogProbs()) {
            return;
        }
        String identity = referenceIdentity();
        closeCaches();
        trainCache = fill(ReferenceCache.open(cacheDir, "train", identity, train), train, "reference train");
        if (!eval.isEmpty()) {
            evalCache = fill(ReferenceCache.open(cacheDir, "eval", identity, eval), eval, "reference eval");
        }
    }

    /** Computes the pairs missing from a cache, in evaluation-size batches, writing each batch through. */
    private ReferenceCache fill(ReferenceCache cache, List<PreferencePair> pairs, String label) {
        int batchSize = config.evalBatchSize();
        int missing = pairs.size() - cache.size();
        if (progress != null) {
            progress.printf("%s: reused %d of %d pairs' log-probs from %s%s%n", label, cache.reused(), pairs.size(),
                    cache.file(), cache.writable() ? "" : " (another run is writing it: the rest is not saved)");
        }
        if (missing <= 0) {
            return cache;
        }
        try (ProgressBar bar = progress == null ? null : new ProgressBar(label, missing, "pairs", progress)) {
            for (int from = 0; from < pairs.size(); from += batchSize) {
                int to = Math.min(pairs.size(), from + batchSize);
                List<Integer> todo = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    if (cache.get(i) == null) {
                        todo.add(i);
                    }
                }
                if (todo.isEmpty()) {
                    continue;
                }
                List<PreferencePair> batch = todo.stream().map(pairs::get).toList();
                float[] ref = reference(layout(batch));
                for (int k = 0; k < todo.size(); k++) {
                    cache.put(todo.get(k), ref[2 * k], ref[2 * k + 1]);
                }
                if (bar != null) {
                    bar.step(todo.size());
                }
            }
        }
        return cache;
    }

    /** Reference log-probs of a layout (no graph), pair-major. */
    private float[] reference(PackedBatch batch) {
        try (NDManager manager = lora.model().manager().newSubManager();
             Autograd.Scope off = Autograd.recording(false)) {
            if (initialAdapter == null) {
                try (LoraModel.Disabled disabled = lora.disabled()) {
                    return runner.run(batch, manager, SegmentLogps.Mode.INFERENCE, -1).logps().toFloatArray();
                }
            }
            Map<String, float[]> current = lora.snapshot();
            lora.load(initialAdapter);
            try {
                return runner.run(batch, manager, SegmentLogps.Mode.INFERENCE, -1).logps().toFloatArray();
            } finally {
                lora.load(current);
            }
        }
    }

    /**
     * What the reference is: the base weights (with their precision and quantization), and for
     * {@code reference: initial} the starting adapter as it was when this objective was made — never the
     * weights being trained, which a resume restores.
     */
    private String referenceIdentity() {
        String base = ModelFingerprint.of(lora.model());
        if (initialAdapter == null) {
            return base + "/base";
        }
        return base + "/initial/" + ModelFingerprint.ofArrays(lora.config().toString(), initialAdapter);
    }

    @Override
    public void beforePass(List<PreferencePair> examples, int[] indices, boolean evaluation, PackedBatch batch) {
        ReferenceCache cache = evaluation ? evalCache : trainCache;
        pendingReference = cache == null ? reference(batch) : null;
    }

    @Override
    public StepLoss loss(List<PreferencePair> examples, int[] indices, boolean evaluation, PackedBatch batch,
                         SegmentLogps.Pass pass, NDManager manager) {
        int b = examples.size();
        double[] refChosen = new double[b];
        double[] refRejected = new double[b];
        ReferenceCache cache = evaluation ? evalCache : trainCache;
        float[] onTheFly = pendingReference;
        pendingReference = null;
        if (cache == null && onTheFly == null) {
            throw new IllegalStateException("beforePass was not called for this micro-batch");
        }
        for (int i = 0; i < b; i++) {
            ReferenceCache.Logps cached = cache == null ? null : cache.get(indices[i]);
            if (cache != null && cached == null) {
                throw new IllegalStateException("reference log-probs of pair " + indices[i] + " missing from "
                        + cache.file());
            }
            refChosen[i] = cached != null ? cached.chosen() : onTheFly[2 * i];
            refRejected[i] = cached != null ? cached.rejected() : onTheFly[2 * i + 1];
        }
        int[] lengths = batch.segmentLengths();
        float[] chosenLengths = new float[b];
        float[] rejectedLengths = new float[b];
        for (int i = 0; i < b; i++) {
            chosenLengths[i] = lengths[2 * i];
            rejectedLengths[i] = lengths[2 * i + 1];
        }
        NDArray policy = pass.logps().reshape(b, 2); // (B, chosen|rejected)
        PreferenceLogps in = new PreferenceLogps(policy.get(":, 0"), policy.get(":, 1"), manager.create(refChosen),
                manager.create(refRejected), manager.create(chosenLengths), manager.create(rejectedLengths));
        LossResult result = loss.compute(in, config.lossSettings());
        Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
        double[] logitSums = pass.logitMeanSums();
        double chosenLogits = 0;
        double rejectedLogits = 0;
        long chosenTokens = 0;
        long rejectedTokens = 0;
        for (int i = 0; i < b; i++) {
            chosenLogits += logitSums[2 * i];
            rejectedLogits += logitSums[2 * i + 1];
            chosenTokens += lengths[2 * i];
            rejectedTokens += lengths[2 * i + 1];
        }
        metrics.put("logits/chosen", chosenLogits / chosenTokens);
        metrics.put("logits/rejected", rejectedLogits / rejectedTokens);
        return new StepLoss(result.loss(), result.lossValue(), metrics);
    }

    private void closeCaches() {
        if (trainCache != null) {
            trainCache.close();
        }
        if (evalCache != null) {
            evalCache.close();
        }
    }

    @Override
    public void close() {
        closeCaches();
    }
}
