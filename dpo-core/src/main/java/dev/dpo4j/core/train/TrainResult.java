package dev.dpo4j.core.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run.
 *
 * @param steps optimizer steps taken in total (including those before a resume)
 * @param resumedFrom the step a resumed run started from, 0 for a fresh run
 * @param history every logged metrics line of this process, in order
 * @param lastEval the last evaluation's metrics ({@code eval_} names), empty without an eval set
 * @param adapterDir where the final adapter was written (PEFT layout)
 * @param metricsFile the JSONL metrics log
 */
public record TrainResult(int steps, int resumedFrom, List<Map<String, Object>> history,
                          Map<String, Double> lastEval, Path adapterDir, Path metricsFile) {
}
