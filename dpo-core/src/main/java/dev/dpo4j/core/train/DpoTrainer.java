package dev.dpo4j.core.train;

import dev.dpo4j.core.lora.LoraModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains LoRA adapters with DPO or another preference loss of TRL's family.
 *
 * <pre>{@code
 * try (DecoderModel model = DecoderModel.load(dir);
 *      LoraModel lora = LoraModel.create(model, config.loraConfig(), config.seed())) {
 *     TrainResult r = new DpoTrainer(lora, config, runDir, "my-base", System.err).train(train, eval, false);
 * }
 * }</pre>
 *
 * <p>What it does beyond TRL: the prompt of each pair is computed once ({@code share_prompt}), pairs can
 * be packed with block masks ({@code packing}), reference log-probs are cached on disk, layers can be
 * recomputed in backward ({@code gradient_checkpointing}), and {@code resume} continues bit-exactly
 * from the latest checkpoint. See {@link Trainer} for the loop and its files.
 */
public final class DpoTrainer {
    private final LoraModel lora;
    private final TrainConfig config;
    private final Path runDir;
    private final String baseModel;
    private final PrintStream progress;
    private final Path referenceCache;

    /**
     * Creates the trainer. With {@code reference: initial}, the adapter's weights now are the reference.
     *
     * @param lora the adapters to train, attached to the model
     * @param config the run's settings
     * @param runDir output directory (adapter, metrics, checkpoints, reference cache)
     * @param baseModel the base model's name or path, written into adapter configs
     * @param progress where progress bars go, or null
     */
    public DpoTrainer(LoraModel lora, TrainConfig config, Path runDir, String baseModel, PrintStream progress) {
        this(lora, config, runDir, baseModel, progress, runDir);
    }

    private DpoTrainer(LoraModel lora, TrainConfig config, Path runDir, String baseModel, PrintStream progress,
                       Path referenceCache) {
        this.lora = lora;
        this.config = config;
        this.runDir = runDir;
        this.baseModel = baseModel;
        this.progress = progress;
        this.referenceCache = referenceCache;
    }

    /**
     * A trainer like this one that keeps precomputed reference log-probs in a folder shared across runs
     * ({@link ReferenceCache#defaultDirectory()}, say) instead of the run directory, so later runs on the
     * same model and data reuse them.
     *
     * @param dir the cache folder
     * @return the trainer
     */
    public DpoTrainer withReferenceCache(Path dir) {
        return new DpoTrainer(lora, config, runDir, baseModel, progress, dir);
    }

    /**
     * Trains on tokenized pairs.
     *
     * @param train training pairs
     * @param eval evaluation pairs, may be empty
     * @param resume continue from the latest checkpoint in the run directory
     * @return the outcome
     */
    public TrainResult train(List<PreferencePair> train, List<PreferencePair> eval, boolean resume) {
        try (DpoObjective objective = new DpoObjective(lora, config, referenceCache, progress)) {
            return new Trainer<>(lora, config, objective, runDir, baseModel, progress).train(train, eval, resume);
        }
    }
}
