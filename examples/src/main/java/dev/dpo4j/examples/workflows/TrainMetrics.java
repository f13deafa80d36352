package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a {@code dpo4j train} run logged, read back from its {@code metrics.jsonl}: one line per logging
 * step ({@code step}, {@code loss}, {@code rewards/accuracies}, …) and one per evaluation
 * ({@code step} and {@code eval_…} keys).
 *
 * @param file the metrics file
 * @param steps the last step logged
 * @param trainingLines lines with a training loss
 * @param loss the last training loss, if any was logged
 * @param accuracy the last {@code rewards/accuracies} (DPO only), if logged
 * @param lastEval the last evaluation's {@code eval_…} metrics, empty when the run had no eval set
 */
public record TrainMetrics(Path file, int steps, int trainingLines, OptionalDouble loss, OptionalDouble accuracy,
                           Map<String, Double> lastEval) {

    /** The trainer's metrics file name in its output folder. */
    public static final String FILE = "metrics.jsonl";

    /** Copies the evaluation map. */
    public TrainMetrics {
        lastEval = Collections.unmodifiableMap(new LinkedHashMap<>(lastEval));
    }

    /**
     * Reads a training run's metrics.
     *
     * @param runDir the train stage's output folder (holding {@code metrics.jsonl})
     * @return the metrics
     * @throws IOException if the file is missing or cannot be read
     */
    public static TrainMetrics read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE + " in " + runDir + " (did the train stage run?)");
        }
        int steps = 0;
        int lines = 0;
        OptionalDouble loss = OptionalDouble.empty();
        OptionalDouble accuracy = OptionalDouble.empty();
        Map<String, Double> eval = new LinkedHashMap<>();
        try (JsonlReader reader = JsonlReader.open(file)) {
            for (JsonlRow row : reader) {
                JsonNode v = row.value();
                steps = Math.max(steps, v.path("step").asInt(0));
                if (v.has("loss")) {
                    lines++;
                    loss = OptionalDouble.of(v.get("loss").asDouble());
                    accuracy = v.has("rewards/accuracies")
                            ? OptionalDouble.of(v.get("rewards/accuracies").asDouble()) : OptionalDouble.empty();
                } else if (hasEvalKey(v)) {
                    eval.clear();
                    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (e.getKey().startsWith("eval_") && e.getValue().isNumber()) {
                            eval.put(e.getKey(), e.getValue().asDouble());
                        }
                    }
                }
            }
        }
        return new TrainMetrics(file, steps, lines, loss, accuracy, eval);
    }

    private static boolean hasEvalKey(JsonNode v) {
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith("eval_")) {
                return true;
            }
        }
        return false;
    }
}
