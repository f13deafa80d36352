package dev.dpo4j.examples.workflows;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Seed workflow 2, DPO on an existing preference set as TRL's stack-llama-2 example does:
 * stack-exchange-paired rows ({@code question}, {@code response_j} preferred, {@code response_k}) become
 * prompt {@code "Question: …\n\nAnswer: "}, chosen and rejected, long rows are filtered out and a
 * validation share is split off ({@code data prepare}); then DPO with beta 0.1, evaluated every
 * {@code eval_steps} on the validation rows ({@code train}).
 *
 * <pre>
 *   java … StackExchangeDpo --config examples/configs/stack-exchange-dpo.yaml [--limit 20000] [--max-steps 1000]
 * </pre>
 */
public final class StackExchangeDpo {
    /** The workflow's sections. */
    public static final WorkflowSpec SPEC = WorkflowSpec.builder()
            .setName("stack-exchange-dpo")
            .addSection("data", true, "data", "prepare")
            .addSection("train", true, "train")
            .build();

    private StackExchangeDpo() {
    }

    /**
     * Runs the workflow from the command line.
     *
     * @param args {@code --config FILE} and overrides (see {@link WorkflowArgs})
     */
    public static void main(String[] args) {
        WorkflowMain.exit(args, SPEC, StackExchangeDpo.class.getName(), (c, log) -> run(c, log).summary());
    }

    /**
     * Runs the workflow, stage output on stdout.
     *
     * @param config the checked config
     * @return what it did
     * @throws IOException if a stage's result file cannot be read
     * @throws WorkflowException when a stage fails
     */
    public static StackExchangeDpoResult run(WorkflowConfig config) throws IOException {
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
    public static StackExchangeDpoResult run(WorkflowConfig config, PrintWriter log) throws IOException {
        List<Stage> stages = plan(config);
        StageRunner runner = new StageRunner(config, log);
        runner.writeAll(stages);
        stages.forEach(stage -> runner.run(Stages.withHubTokenizer(config, stage)));
        return new StackExchangeDpoResult(runner.result(), PrepareStats.read(config.stageDir("data")),
                TrainMetrics.read(config.stageDir("train")), config.stageDir("train"));
    }

    /**
     * The stages with their complete configs: {@code data} (prepare) and {@code train}.
     *
     * @param config the checked config
     * @return the stages
     * @throws IllegalArgumentException naming the file and key when a section sets a key the workflow fills
     */
    public static List<Stage> plan(WorkflowConfig config) {
        return List.of(Stages.prepare(config, "data"), Stages.train(config, "train", "train", "dpo", config.modelId(),
                config.stageDir("data"), Stages.writesValid(config, 0), null));
    }
}
