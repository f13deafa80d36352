package dev.dpo4j.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurveTest {

    /** Training lines interleaved with evaluation lines, as the trainer writes them. */
    private static final String METRICS = String.join("\n",
            "{\"step\": 1, \"epoch\": 0.1, \"loss\": 0.6931, \"learning_rate\": 5e-6, \"rewards/accuracies\": 0.0,"
                    + " \"note\": \"warmup\"}",
            "{\"step\": 2, \"epoch\": 0.2, \"loss\": 0.69, \"rewards/accuracies\": 0.5, \"rewards/margins\": 0.01}",
            "{\"step\": 2, \"eval_loss\": 0.68, \"eval_rewards/accuracies\": 0.6}",
            "",
            "{\"step\": 3, \"epoch\": 0.3, \"loss\": 0.65, \"rewards/margins\": 0.05, \"flag\": true, \"grad_norm\": NaN}",
            "{\"step\": 4, \"eval_loss\": 0.66}",
            "");

    @Test
    void readsInterleavedTrainingAndEvaluationLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, METRICS);
        TrainingCurve curve = TrainingCurve.read("dpo-r8", file);
        assertEquals("dpo-r8", curve.run());
        assertEquals(5, curve.points().size());
        assertEquals(List.of(new CurvePoint(1, 0.6931), new CurvePoint(2, 0.69), new CurvePoint(3, 0.65)),
                curve.series("loss"));
        assertEquals(List.of(new CurvePoint(2, 0.68), new CurvePoint(4, 0.66)), curve.series("eval_loss"));
        assertEquals(List.of(new CurvePoint(2, 0.01), new CurvePoint(3, 0.05)), curve.series("rewards/margins"));
        assertEquals(5e-6, curve.points().get(0).get("learning_rate"));
        // Strings and booleans are ignored; NaN is a number but is left out of series.
        assertFalse(curve.points().get(0).containsKey("note"));
        assertFalse(curve.points().get(3).containsKey("flag"));
        assertTrue(Double.isNaN(curve.points().get(3).get("grad_norm")));
        assertTrue(curve.series("grad_norm").isEmpty());
        assertEquals(List.of("loss", "learning_rate", "rewards/accuracies", "rewards/margins", "eval_loss",
                "eval_rewards/accuracies", "grad_norm"), curve.metrics());
    }

    @Test
    void badLineNamesFileAndLineNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\": 1, \"loss\": 0.7}\n\n{\"step\": 2, \"loss\": \n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurve.read("run", file));
        assertTrue(e.getMessage().startsWith(file + ":3: malformed JSON"), e.getMessage());

        Files.writeString(file, "{\"step\": 1}\n[1, 2]\n");
        IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurve.read("run", file));
        assertTrue(array.getMessage().startsWith(file + ":2: expected a JSON object"), array.getMessage());
    }

    @Test
    void pointsAreImmutable() {
        TrainingCurve curve = new TrainingCurve("r", List.of(new java.util.HashMap<>(java.util.Map.of("step", 1.0))));
        assertThrows(UnsupportedOperationException.class, () -> curve.points().get(0).put("loss", 1.0));
    }
}
