package dev.dpo4j.examples.workflows;

import dev.dpo4j.eval.report.EvalReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed workflow 3, DPO on UltraFeedback: the binarized set (HuggingFaceH4) or argilla's cleaned one,
 * whose chosen and rejected are message lists, converted with the prompt as chat messages
 * ({@code data prepare}); DPO with LoRA, the model's chat template applied ({@code train}); optionally
 * the adapter merged into a full model folder ({@code merge}, with {@code --merge-adapters}); and an
 * MT-Bench-style pairwise evaluation of tuned against base by a judge endpoint: wins, losses, ties and
 * the adjusted win rate ({@code evaluate}). The command line follows the seed's: {@code --run-name},
 * {@code --output-dir}, {@code --merge-adapters}.
 *
 * <pre>
 *   java … UltraFeedbackDpo --config examples/configs/ultrafeedback-dpo.yaml --run-name uf-1 \
 *       --output-dir runs/uf-1 --merge-adapters
 * </pre>
 */
public final class UltraFeedbackDpo {
    /** The workflow's sections and switches. */
    public static final WorkflowSpec SPEC = WorkflowSpec.builder()
            .setName("ultrafeedback-dpo")
            .addSection("data", true, "data", "prepare")
            .addSection("train", true, "train")
            .addSection("merge", false, "merge")
            .addSection("evaluate", true, "evaluate")
            .optSwitch("--merge-adapters", "merge")
            .build();

    private UltraFeedbackDpo() {
    }

    /**
     * Runs the workflow from the command line.
     *
     * @param args {@code --config FILE} and overrides (see {@link WorkflowArgs}), {@code --merge-adapters}
     */
    public static void main(String[] args) {
        WorkflowMain.exit(args, SPEC, UltraFeedbackDpo.class.getName(), (c, log) -> run(c, log).summary());
    }

    /**
     * Runs the workflow, stage output on stdout.
     *
     * @param config the checked config
     * @return what it did
     * @throws IOException if a stage's result file cannot be read
     * @throws WorkflowException when a stage fails
     */
    public static UltraFeedbackDpoResult run(WorkflowConfig config) throws IOException {
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
    public static UltraFeedbackDpoResult run(WorkflowConfig config, PrintWriter log) throws IOException {
        List<Stage> stages = plan(config);
        StageRunner runner = new StageRunner(config, log);
        runner.writeAll(stages);
        for (Stage stage : stages) {
            if (stage.name().equals("merge")) {
                Stages.clearEarlierMerge(stage.name(), config.stageDir("merge"));
            }
            runner.run(Stages.withHubTokenizer(config, stage));
        }
        Path reportDir = config.stageDir("evaluate");
        return new UltraFeedbackDpoResult(runner.result(), PrepareStats.read(config.stageDir("data")),
                TrainMetrics.read(config.stageDir("train")), config.stageDir("train"),
                config.has("merge") ? config.stageDir("merge") : null,
                EvalReport.read(reportDir.resolve(Stages.REPORT_FILE)), reportDir);
    }

    /**
     * The stages with their complete configs: {@code data} (prepare), {@code train}, {@code merge} when the
     * config has that section, {@code evaluate} (task {@code instruction}, pairwise {@code tuned:base}
     * unless the section says otherwise; the merged model is the {@code tuned} contender when there is one).
     *
     * @param config the checked config
     * @return the stages
     * @throws IllegalArgumentException naming the file and key when a section sets a key the workflow fills
     */
    public static List<Stage> plan(WorkflowConfig config) {
        List<Stage> stages = new ArrayList<>();
        stages.add(Stages.prepare(config, "data"));
        stages.add(Stages.train(config, "train", "train", "dpo", config.modelId(), config.stageDir("data"),
                Stages.writesValid(config, 0), null));
        StageKeys evaluate = Stages.evaluate(config, "evaluate").fallback("task", "instruction")
                .fallback("pairwise", List.of("tuned:base"))
                .fallback("training_metrics", List.of("dpo=" + config.stageDir("train").resolve(TrainMetrics.FILE)));
        if (config.has("merge")) {
            stages.add(Stages.merge(config, "merge", config.modelId(), config.stageDir("train")));
            evaluate.prepend("merged", List.of("tuned=" + config.stageDir("merge")));
        } else {
            evaluate.prepend("adapter", List.of("tuned=" + config.stageDir("train")));
        }
        stages.add(evaluate.toStage("evaluate"));
        return stages;
    }
}
