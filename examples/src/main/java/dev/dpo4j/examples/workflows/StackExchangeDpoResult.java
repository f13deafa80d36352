package dev.dpo4j.examples.workflows;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link StackExchangeDpo} did.
 *
 * @param workflow the stages that ran
 * @param data the prepare stage's counts (rows read, kept, dropped by the length filters)
 * @param training the train stage's metrics (evaluated every {@code eval_steps} on {@code valid.jsonl})
 * @param adapter the trained adapter (PEFT layout)
 */
public record StackExchangeDpoResult(WorkflowResult workflow, PrepareStats data, TrainMetrics training, Path adapter) {

    /**
     * A few lines for the console.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d stage(s) in %.1f s, output %s%n", workflow.runName(),
                workflow.stages().size(), workflow.seconds(), workflow.outputDir()));
        sb.append(String.format(Locale.ROOT, "data     %d rows read, %d kept (train %d, valid %d), %d dropped %s%n",
                data.rowsRead(), data.kept(), data.train(), data.valid(), data.droppedTotal(), data.dropped()));
        sb.append(String.format(Locale.ROOT, "train    %d steps, loss %s, accuracy %s%n", training.steps(),
                format(training.loss().isPresent() ? training.loss().getAsDouble() : Double.NaN),
                format(training.accuracy().isPresent() ? training.accuracy().getAsDouble() : Double.NaN)));
        for (Map.Entry<String, Double> e : training.lastEval().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-28s %s%n", e.getKey(), format(e.getValue())));
        }
        sb.append("adapter: ").append(adapter);
        return sb.toString();
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
