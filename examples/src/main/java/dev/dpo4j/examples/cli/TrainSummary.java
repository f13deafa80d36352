package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.train.TrainResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The few lines {@code dpo4j train} prints on stdout when done: steps, the last logged training loss and
 * preference accuracy, the last evaluation, and where the adapter, metrics and checkpoints are.
 */
final class TrainSummary {
    private TrainSummary() {
    }

    /**
     * Prints the summary.
     *
     * @param out standard output
     * @param settings the run's settings
     * @param outcome what the run did
     * @throws IOException if the metrics file cannot be read
     */
    static void print(PrintWriter out, TrainSettings settings, TrainRun.Outcome outcome) throws IOException {
        TrainResult r = outcome.result();
        JsonNode last = lastTrainingLine(r.metricsFile());
        out.printf(Locale.ROOT, "%-5s %-7s %-9s %-9s %-9s %-9s %s%n", "task", "steps", "examples", "loss",
                "accuracy", "eval_loss", "time");
        out.printf(Locale.ROOT, "%-5s %-7s %-9d %-9s %-9s %-9s %.1f s%n", settings.task(),
                r.resumedFrom() > 0 ? r.steps() + "*" : Integer.toString(r.steps()), outcome.trainExamples(),
                number(last == null ? null : last.get("loss")),
                number(last == null ? null : last.get("rewards/accuracies")),
                number(r.lastEval().get("eval_loss")), outcome.seconds());
        if (r.resumedFrom() > 0) {
            out.printf(Locale.ROOT, "* resumed from step %d%n", r.resumedFrom());
        }
        Path dir = r.adapterDir();
        out.printf(Locale.ROOT, "%-12s %s (%s, r %d, lora_alpha %s, %,d trainable parameters)%n", "adapter",
                dir.resolve(PeftAdapters.WEIGHTS_FILE), PeftAdapters.CONFIG_FILE, outcome.lora().r(),
                trim(outcome.lora().loraAlpha()), outcome.trainableParameters());
        out.printf(Locale.ROOT, "%-12s %s%n", "metrics", r.metricsFile());
        if (last != null && last.has("loss_scale")) {
            out.printf(Locale.ROOT, "%-12s %s, loss scale %s, %d step(s) skipped for float16 overflow%n", "precision",
                    outcome.precision(), trim(last.get("loss_scale").asDouble()), last.path("skipped_steps").asLong());
        } else {
            out.printf(Locale.ROOT, "%-12s %s%n", "precision", outcome.precision());
        }
        List<Path> checkpoints = checkpoints(dir);
        if (!checkpoints.isEmpty()) {
            out.printf(Locale.ROOT, "%-12s %s%s (%d)%n", "checkpoints", checkpoints.get(0),
                    checkpoints.size() > 1 ? " … " + checkpoints.get(checkpoints.size() - 1).getFileName() : "",
                    checkpoints.size());
        }
        if (!r.lastEval().isEmpty()) {
            StringBuilder eval = new StringBuilder();
            for (Map.Entry<String, Double> e : r.lastEval().entrySet()) {
                eval.append(eval.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.4g", e.getValue()));
            }
            out.printf(Locale.ROOT, "%-12s %s (%d examples)%n", "eval", eval, outcome.evalExamples());
        }
        out.flush();
    }

    /** The last metrics line with a training loss, over the whole run (also before a resume). */
    private static JsonNode lastTrainingLine(Path metrics) throws IOException {
        if (!Files.isRegularFile(metrics)) {
            return null;
        }
        JsonNode last = null;
        try (JsonlReader reader = JsonlReader.open(metrics)) {
            for (JsonlRow row : reader) {
                if (row.value().has("loss")) {
                    last = row.value();
                }
            }
        }
        return last;
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+") && Files.isDirectory(p))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(11))))
                    .toList();
        }
    }

    private static String number(Object value) {
        if (value instanceof JsonNode node && node.isNumber()) {
            return String.format(Locale.ROOT, "%.4f", node.doubleValue());
        }
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        return "-";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
