package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.report.EvalReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed workflow 1, llmforge's summarization recipe end to end: articles (CNN/DailyMail) → a judge writes
 * questions per article, the base model samples summaries, the judge answers the questions from each
 * summary, pairs are chosen at the score threshold ({@code data synth}) → DPO with LoRA ({@code train})
 * → the base, the tuned model and baseline endpoints scored with the same questions ({@code evaluate}).
 *
 * <p>With {@code iterations: N} (or {@code --iterations N}) it runs iterative DPO: iteration i > 1 merges
 * the previous adapter into a model folder ({@code merge-(i-1)}), samples and judges a fresh slice of
 * {@code data.limit} articles with that model ({@code data-i}, seed + i − 1), and trains a new adapter on
 * it ({@code train-i}); the last adapter is merged too ({@code merge-N}) and evaluated as {@code tuned}
 * against the base model.
 *
 * <pre>
 *   java … SummarizationDpo --config examples/configs/summarization-dpo.yaml [--iterations 2] [--limit 200]
 * </pre>
 */
public final class SummarizationDpo {
    /** The workflow's sections and options. */
    public static final WorkflowSpec SPEC = WorkflowSpec.builder()
            .setName("summarization-dpo")
            .addSection("data", true, "data", "synth")
            .addSection("train", true, "train")
            .addSection("merge", false, "merge")
            .addSection("evaluate", true, "evaluate")
            .optOption("iterations", IntNode.valueOf(1))
            .build();

    /** Where iteration i > 1 reads its fresh articles, under the run folder. */
    static final String SLICES = "slices";

    private SummarizationDpo() {
    }

    /**
     * Runs the workflow from the command line.
     *
     * @param args {@code --config FILE} and overrides (see {@link WorkflowArgs}), {@code --iterations N}
     */
    public static void main(String[] args) {
        WorkflowMain.exit(args, SPEC, SummarizationDpo.class.getName(), (c, log) -> run(c, log).summary());
    }

    /**
     * Runs the workflow, stage output on stdout.
     *
     * @param config the checked config
     * @return what it did
     * @throws IOException if a stage's result file cannot be read
     * @throws WorkflowException when a stage fails
     */
    public static SummarizationDpoResult run(WorkflowConfig config) throws IOException {
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
    public static SummarizationDpoResult run(WorkflowConfig config, PrintWriter log) throws IOException {
        int iterations = config.intOption("iterations", 1);
        List<Stage> stages = plan(config);
        StageRunner runner = new StageRunner(config, log);
        runner.writeAll(stages);
        ObjectNode data = config.section("data");
        long limit = data.path("limit").asLong(0);
        for (Stage stage : stages) {
            int i = iterationOf(stage.name());
            if (stage.command().get(0).equals("data") && i > 1) {
                Path slice = slicePath(config, i);
                try {
                    ArticleSlice.write(StageKeys.of(config, "data").toStage("data").keys(), (i - 1) * limit, limit, slice);
                } catch (IOException e) {
                    throw new WorkflowException(stage.name(), "cannot write the article slice", slice, e);
                }
            }
            if (stage.command().get(0).equals("merge")) {
                Stages.clearEarlierMerge(stage.name(), config.stageDir(stage.name()));
            }
            runner.run(stage);
        }
        List<DpoIteration> done = new ArrayList<>();
        for (int i = 1; i <= iterations; i++) {
            Path trainDir = config.stageDir(name("train", i, iterations));
            done.add(new DpoIteration(i, modelOf(config, i),
                    SynthReportFile.read(config.stageDir(name("data", i, iterations))), TrainMetrics.read(trainDir),
                    trainDir, iterations > 1 ? config.stageDir("merge-" + i) : null));
        }
        Path reportDir = config.stageDir("evaluate");
        EvalReport report = EvalReport.read(reportDir.resolve(Stages.REPORT_FILE));
        Path tuned = iterations > 1 ? done.get(iterations - 1).merged() : done.get(0).adapter();
        return new SummarizationDpoResult(runner.result(), done, tuned, report, reportDir);
    }

    /**
     * The stages, in order, with their complete configs; checks every section against what the workflow
     * fills in, so a mistake fails before the first stage runs.
     *
     * @param config the checked config
     * @return the stages
     * @throws IllegalArgumentException naming the file and key
     */
    public static List<Stage> plan(WorkflowConfig config) {
        int iterations = config.intOption("iterations", 1);
        ObjectNode data = config.section("data");
        long limit = data.path("limit").asLong(0);
        if (iterations > 1 && limit <= 0) {
            throw new IllegalArgumentException(config.file() + ": data.limit must be > 0 with iterations > 1 (each "
                    + "iteration samples data.limit fresh articles)");
        }
        long seed = data.hasNonNull("seed") ? data.get("seed").asLong() : 42;
        boolean valid = Stages.writesValid(config, 0.1);
        List<Stage> stages = new ArrayList<>();
        for (int i = 1; i <= iterations; i++) {
            String model = modelOf(config, i);
            if (i > 1) {
                stages.add(Stages.merge(config, "merge-" + (i - 1), modelOf(config, i - 1),
                        config.stageDir(name("train", i - 1, iterations))));
            }
            String dataName = name("data", i, iterations);
            StageKeys synth = Stages.synth(config, dataName, model);
            if (i > 1) {
                synth.remove("input", "dataset", "split", "limit", "seed")
                        .fixed("input", List.of(slicePath(config, i).toString()))
                        .fixed("seed", seed + i - 1);
            }
            stages.add(synth.toStage(dataName));
            stages.add(Stages.train(config, "train", name("train", i, iterations), "dpo", model,
                    config.stageDir(dataName), valid, null));
        }
        StageKeys evaluate = Stages.evaluate(config, "evaluate");
        List<String> curves = new ArrayList<>();
        if (iterations == 1) {
            evaluate.prepend("adapter", List.of("tuned=" + config.stageDir("train")));
            curves.add("dpo=" + config.stageDir("train").resolve(TrainMetrics.FILE));
        } else {
            stages.add(Stages.merge(config, "merge-" + iterations, modelOf(config, iterations),
                    config.stageDir(name("train", iterations, iterations))));
            evaluate.prepend("merged", List.of("tuned=" + config.stageDir("merge-" + iterations)));
            for (int i = 1; i <= iterations; i++) {
                curves.add("iteration-" + i + "=" + config.stageDir("train-" + i).resolve(TrainMetrics.FILE));
            }
        }
        evaluate.fallback("training_metrics", curves);
        stages.add(evaluate.toStage("evaluate"));
        return stages;
    }

    /** The model iteration i samples from and tunes: the base, or the previous iteration's merged folder. */
    private static String modelOf(WorkflowConfig config, int i) {
        return i == 1 ? config.modelId() : config.stageDir("merge-" + (i - 1)).toString();
    }

    /** A stage's name: plain for a single iteration, {@code <kind>-<i>} for several. */
    private static String name(String kind, int i, int iterations) {
        return iterations == 1 ? kind : kind + "-" + i;
    }

    /** The iteration a stage belongs to (1 for unnumbered stages). */
    private static int iterationOf(String stage) {
        int dash = stage.lastIndexOf('-');
        return dash < 0 ? 1 : Integer.parseInt(stage.substring(dash + 1));
    }

    private static Path slicePath(WorkflowConfig config, int i) {
        return config.outputDir().resolve(SLICES).resolve("data-" + i + ".jsonl");
    }
}
