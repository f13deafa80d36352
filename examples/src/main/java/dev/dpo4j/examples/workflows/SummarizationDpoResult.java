package dev.dpo4j.examples.workflows;

import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.EvalReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link SummarizationDpo} did: the stages, each DPO iteration, and the final evaluation.
 *
 * @param workflow the stages that ran
 * @param iterations one entry per iteration, in order
 * @param tuned the contender evaluated as {@code tuned}: the adapter (one iteration) or the last merged
 *     model folder (several)
 * @param evaluation the evaluation report (base, tuned and the section's endpoints)
 * @param reportDir the evaluate stage's folder ({@code report.json}, {@code report.md}, {@code report.html})
 */
public record SummarizationDpoResult(WorkflowResult workflow, List<DpoIteration> iterations, Path tuned,
                                     EvalReport evaluation, Path reportDir) {
    /** Copies the iterations. */
    public SummarizationDpoResult {
        iterations = List.copyOf(iterations);
    }

    /** @return the last iteration */
    public DpoIteration last() {
        return iterations.get(iterations.size() - 1);
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
        sb.append(String.format(Locale.ROOT, "%-9s %-8s %-6s %-9s %s%n", "iteration", "pairs", "steps", "loss", "adapter"));
        for (DpoIteration it : iterations) {
            sb.append(String.format(Locale.ROOT, "%-9d %-8d %-6d %-9s %s%n", it.iteration(),
                    it.data().pairsTrain(), it.training().steps(),
                    it.training().loss().isPresent() ? String.format(Locale.ROOT, "%.4f", it.training().loss().getAsDouble())
                            : "-", it.adapter()));
        }
        for (ContenderResult c : evaluation.contenders()) {
            sb.append(String.format(Locale.ROOT, "%-12s %s%n", c.name(), c.qa() == null ? "no QA score"
                    : String.format(Locale.ROOT, "QA %.2f / %d", c.qa().meanScore().value(), c.qa().questions())));
        }
        sb.append("report: ").append(reportDir.resolve(EvalReport.HTML_FILE));
        return sb.toString();
    }
}
