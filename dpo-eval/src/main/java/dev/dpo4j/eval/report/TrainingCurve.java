package dev.dpo4j.eval.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The logged metrics of one training run, read from the trainer's {@code metrics.jsonl}.
 *
 * <p>Each line of that file is one JSON object of TRL-named metrics: training lines
 * ({@code "step"}, {@code "epoch"}, {@code "learning_rate"}, {@code "grad_norm"},
 * {@code "loss"}, {@code "rewards/accuracies"}, {@code "rewards/margins"}, {@code "logps/chosen"}…)
 * interleaved with evaluation lines ({@code "step"} and {@code "eval_*"} keys). Each line
 * becomes one point: a map from metric name to value, numeric fields only (strings, booleans
 * and nested values are ignored; {@code NaN} and {@code Infinity} are read as numbers).
 *
 * @param run the run's display name (the legend label)
 * @param points one map per logged line, in file order; keys keep the line's order
 */
public record TrainingCurve(String run, List<Map<String, Double>> points) {

    /** The x-axis key of every series. */
    public static final String STEP = "step";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * Copies the points into unmodifiable maps.
     *
     * @throws NullPointerException if {@code run} or {@code points} is null
     */
    public TrainingCurve {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(points, "points");
        List<Map<String, Double>> copy = new ArrayList<>(points.size());
        for (Map<String, Double> point : points) {
            copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(point)));
        }
        points = List.copyOf(copy);
    }

    /**
     * Reads a trainer's {@code metrics.jsonl}; blank lines are skipped.
     *
     * @param run the run's display name
     * @param metricsJsonl the file
     * @return the curve, one point per non-blank line
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException for a line that is not a JSON object; the message
     *     names the file and the 1-based line number ({@code "metrics.jsonl:7: …"})
     */
    public static TrainingCurve read(String run, Path metricsJsonl) throws IOException {
        List<Map<String, Double>> points = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(metricsJsonl, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                points.add(parse(line, metricsJsonl, number));
            }
        }
        return new TrainingCurve(run, points);
    }

    /**
     * The numeric metric names in order of first appearance, {@code "step"} and
     * {@code "epoch"} excluded.
     *
     * @return metric names such as {@code "loss"} and {@code "eval_loss"}
     */
    public List<String> metrics() {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Double> point : points) {
            names.addAll(point.keySet());
        }
        names.remove(STEP);
        names.remove("epoch");
        return List.copyOf(names);
    }

    /**
     * One metric against the step: the points that have both, finite, in file order.
     *
     * @param metric the metric name, e.g. {@code "loss"}
     * @return the series, empty when the metric was never logged
     */
    public List<CurvePoint> series(String metric) {
        List<CurvePoint> out = new ArrayList<>();
        for (Map<String, Double> point : points) {
            Double step = point.get(STEP);
            Double value = point.get(metric);
            if (step != null && value != null && Double.isFinite(step) && Double.isFinite(value)) {
                out.add(new CurvePoint(step, value));
            }
        }
        return out;
    }

    private static Map<String, Double> parse(String line, Path file, int number) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    file + ":" + number + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file + ":" + number + ": expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        Map<String, Double> point = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                point.put(field.getKey(), field.getValue().doubleValue());
            }
        }
        return point;
    }
}
