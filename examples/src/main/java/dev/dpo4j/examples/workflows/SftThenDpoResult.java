package dev.dpo4j.examples.workflows;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link SftThenDpo} did.
 *
 * @param workflow the stages that ran
 * @param data the prepare stage's counts, or null when the config has no {@code data} section (the
 *     {@code train} section named its own preference file)
 * @param sft the SFT stage's metrics
 * @param dpo the DPO stage's metrics
 * @param sftAdapter the SFT adapter (PEFT layout)
 * @param dpoAdapter the DPO adapter, trained on from the SFT adapter
 */
public record SftThenDpoResult(WorkflowResult workflow, PrepareStats data, TrainMetrics sft, TrainMetrics dpo,
                               Path sftAdapter, Path dpoAdapter) {

    /**
     * A few lines for the console.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d stage(s) in %.1f s, output %s%n", workflow.runName(),
                workflow.stages().size(), workflow.seconds(), workflow.outputDir()));
        if (data != null) {
            sb.append(String.format(Locale.ROOT, "data  %d rows read, %d kept%n", data.rowsRead(), data.kept()));
        }
        sb.append(line("sft", sft)).append(line("dpo", dpo));
        sb.append("sft adapter: ").append(sftAdapter).append('\n');
        sb.append("dpo adapter: ").append(dpoAdapter);
        return sb.toString();
    }

    private static String line(String name, TrainMetrics m) {
        return String.format(Locale.ROOT, "%-5s %d steps%s%n", name, m.steps(), m.loss().isPresent()
                ? String.format(Locale.ROOT, ", loss %.4f", m.loss().getAsDouble()) : "");
    }
}
