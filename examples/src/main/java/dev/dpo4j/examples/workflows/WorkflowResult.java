package dev.dpo4j.examples.workflows;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What every workflow run reports: its name, the run folder and the stages that ran, in order.
 *
 * @param workflow the workflow's name, e.g. {@code summarization-dpo}
 * @param runName the run's name
 * @param outputDir the run folder
 * @param stages the stages, in the order they ran
 */
public record WorkflowResult(String workflow, String runName, Path outputDir, List<StageRun> stages) {
    /** Copies the stages. */
    public WorkflowResult {
        stages = List.copyOf(stages);
    }

    /** @return the stages' names, in order */
    public List<String> stageNames() {
        return stages.stream().map(StageRun::name).toList();
    }

    /**
     * A stage's config file.
     *
     * @param stage the stage's name
     * @return the file it ran with
     * @throws NoSuchElementException when no stage of that name ran
     */
    public Path configFile(String stage) {
        return stages.stream().filter(s -> s.name().equals(stage)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no stage '" + stage + "' in " + stageNames()))
                .configFile();
    }

    /** @return total wall time of the stages, in seconds */
    public double seconds() {
        return stages.stream().mapToDouble(StageRun::seconds).sum();
    }
}
