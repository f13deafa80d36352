package dev.dpo4j.examples.workflows;

import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.report.PairwiseResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link UltraFeedbackDpo} did.
 *
 * @param workflow the stages that ran
 * @param data the prepare stage's counts
 * @param training the train stage's metrics
 * @param adapter the trained adapter (PEFT layout)
 * @param merged the merged model folder, or null without {@code --merge-adapters} (no {@code merge} section)
 * @param evaluation the evaluation report: pairwise judgements of tuned against base
 * @param reportDir the evaluate stage's folder
 */
public record UltraFeedbackDpoResult(WorkflowResult workflow, PrepareStats data, TrainMetrics training, Path adapter,
                                     Path merged, EvalReport evaluation, Path reportDir) {

    /**
     * The pairwise result of one comparison.
     *
     * @param a contender A's name
     * @param b contender B's name
     * @return the result, or empty when the evaluation did not compare them
     */
    public Optional<PairwiseResult> pairwise(String a, String b) {
        return evaluation.pairwise().stream().filter(p -> p.a().equals(a) && p.b().equals(b)).findFirst();
    }

    /**
     * A few lines for the console.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d stage(s) in %.1f s, output %s%n", workflow.runName(),
                workflow.stages().size(), workflow.seconds(), workflow.outputDir()));
        sb.append(String.format(Locale.ROOT, "data     %d rows read, %d kept (train %d, valid %d)%n", data.rowsRead(),
                data.kept(), data.train(), data.valid()));
        sb.append(String.format(Locale.ROOT, "train    %d steps%s%n", training.steps(), training.loss().isPresent()
                ? String.format(Locale.ROOT, ", loss %.4f", training.loss().getAsDouble()) : ""));
        sb.append("adapter  ").append(adapter).append('\n');
        if (merged != null) {
            sb.append("merged   ").append(merged).append('\n');
        }
        for (PairwiseResult p : evaluation.pairwise()) {
            sb.append(String.format(Locale.ROOT, "%s vs %s: %d wins, %d losses, %d ties, adjusted win rate %.3f "
                    + "[%.3f, %.3f]%n", p.a(), p.b(), p.wins(), p.losses(), p.ties(), p.winRateAdjusted().value(),
                    p.winRateAdjusted().low(), p.winRateAdjusted().high()));
        }
        sb.append("report: ").append(reportDir.resolve(EvalReport.HTML_FILE));
        return sb.toString();
    }
}
