package dev.dpo4j.core.train;

import dev.dpo4j.core.lora.LoraModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Supervised fine-tuning of LoRA adapters with a completion-only loss, on the same loop as
 * {@link DpoTrainer} (packing, checkpointing, resume, metrics). Seed workflow 4 runs it before DPO.
 */
public final class SftTrainer {
    private final LoraModel lora;
    private final TrainConfig config;
    private final Path runDir;
    private final String baseModel;
    private final PrintStream progress;

    /**
     * Creates the trainer.
     *
     * @param lora the adapters to train
     * @param config the run's settings (loss fields ignored)
     * @param runDir output directory
     * @param baseModel the base model's name or path
     * @param progress where the progress bar goes, or null
     */
    public SftTrainer(LoraModel lora, TrainConfig config, Path runDir, String baseModel, PrintStream progress) {
        this.lora = lora;
        this.config = config;
        this.runDir = runDir;
        this.baseModel = baseModel;
        this.progress = progress;
    }

    /**
     * Trains on tokenized examples.
     *
     * @param train training examples
     * @param eval evaluation examples, may be empty
     * @param resume continue from the latest checkpoint
     * @return the outcome
     */
    public TrainResult train(List<SftExample> train, List<SftExample> eval, boolean resume) {
        try (SftObjective objective = new SftObjective(config)) {
            return new Trainer<>(lora, config, objective, runDir, baseModel, progress).train(train, eval, resume);
        }
    }
}
