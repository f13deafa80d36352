package dev.dpo4j.examples.workflows;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed workflow 4, SFT then DPO (the Gemma recipe): a LoRA adapter is first trained with supervised
 * fine-tuning on chat conversations ({@code sft}: {@code dpo4j train} with task {@code sft}), then DPO
 * continues from that adapter ({@code train}: task {@code dpo}, {@code adapter} = the SFT adapter). The
 * reference model is the same model with the adapters switched off ({@code reference: base}): no second
 * copy of the weights is loaded. The preference rows come from an optional {@code data} section
 * ({@code data prepare}) or the {@code train} section's own {@code data}.
 *
 * <pre>
 *   java … SftThenDpo --config examples/configs/sft-then-dpo.yaml [--max-steps 100]
 * </pre>
 */
public final class SftThenDpo {
    /** The workflow's sections. */
    public static final WorkflowSpec SPEC = WorkflowSpec.builder()
            .setName("sft-then-dpo")
            .addSection("data", false, "data", "prepare")
            .addSection("sft", true, "train")
            .addSection("train", true, "train")
            .build();

    private SftThenDpo() {
    }

    /**
     * Runs the workflow from the command line.
     *
     * @param args {@code --config FILE} and overrides (see {@link WorkflowArgs})
     */
    public static void main(String[] args) {
        WorkflowMain.exit(args, SPEC, SftThenDpo.class.getName(), (c, log) -> run(c, log).summary());
    }

    /**
     * Runs the workflow, stage output on stdout.
     *
     * @param config the checked config
     * @return what it did
     * @throws IOException if a stage's result file cannot be read
     * @throws WorkflowException when a stage fails
     */
    public static SftThenDpoResult run(WorkflowConfig config) throws IOException {
        return run(config, new PrintWriter(System.out, true));
    }

    /**
     * Runs the workflow.
     *
     * @param config the checked config
     * @param log where stage output goes
     * @return what it did
     * @throws IOException if a stage's result file cannot be read
     * @throws WorkflowException when a stage fails
     */
    public static SftThenDpoResult run(WorkflowConfig config, PrintWriter log) throws IOException {
        List<Stage> stages = plan(config);
        StageRunner runner = new StageRunner(config, log);
        runner.writeAll(stages);
        stages.forEach(stage -> runner.run(Stages.withHubTokenizer(config, stage)));
        return new SftThenDpoResult(runner.result(), config.has("data") ? PrepareStats.read(config.stageDir("data")) : null,
                TrainMetrics.read(config.stageDir("sft")), TrainMetrics.read(config.stageDir("train")),
                config.stageDir("sft"), config.stageDir("train"));
    }

    /**
     * The stages with their complete configs: {@code data} (when present), {@code sft}, {@code train}.
     *
     * @param config the checked config
     * @return the stages
     * @throws IllegalArgumentException naming the file and key when a section sets a key the workflow fills,
     *     or {@code sft} (or, without a {@code data} section, {@code train}) names no data
     */
    public static List<Stage> plan(WorkflowConfig config) {
        List<Stage> stages = new ArrayList<>();
        boolean data = config.has("data");
        if (data) {
            stages.add(Stages.prepare(config, "data"));
        }
        stages.add(Stages.train(config, "sft", "sft", "sft", config.modelId(), null, false, null));
        stages.add(Stages.train(config, "train", "train", "dpo", config.modelId(), data ? config.stageDir("data") : null,
                data && Stages.writesValid(config, 0), config.stageDir("sft")));
        return stages;
    }
}
