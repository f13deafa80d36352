package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.dpo4j.core.util.Scalars;

/**
 * Supervised fine-tuning with TRL's completion-only loss: the mean negative log-likelihood over the
 * completion tokens of the micro-batch, {@code −Σ log p / Σ |completion|} (token-weighted, as a
 * cross-entropy over the masked labels). Prompt tokens are context only.
 */
public final class SftObjective implements Objective<SftExample> {
    private final TrainConfig config;

    /**
     * Creates the objective.
     *
     * @param config packing and lengths
     */
    public SftObjective(TrainConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "sft";
    }

    @Override
    public List<long[]> tokens(SftExample example) {
        return List.of(example.promptIds(), example.completionIds());
    }

    @Override
    public PackedBatch layout(List<SftExample> examples) {
        return PackedBatch.ofExamples(examples, config.packing() ? config.maxLength() : 0);
    }

    @Override
    public void prepare(List<SftExample> train, List<SftExample> eval) {
        // nothing to precompute
    }

    @Override
    public StepLoss loss(List<SftExample> examples, int[] indices, boolean evaluation, PackedBatch batch,
                         SegmentLogps.Pass pass, NDManager manager) {
        int tokens = batch.completionTokens();
        NDArray nll = Scalars.div(pass.logps().sum().neg(), tokens); // mean NLL per completion token
        double value = nll.toFloatArray()[0];
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("num_tokens", (double) tokens);
        metrics.put("perplexity", Math.exp(value));
        return new StepLoss(nll, value, metrics);
    }

    @Override
    public void close() {
        // no resources
    }
}
