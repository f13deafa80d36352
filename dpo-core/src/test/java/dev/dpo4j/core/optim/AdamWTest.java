package dev.dpo4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against the scalar formula of torch.optim.AdamW, computed in double. */
class AdamWTest {

    /**
     * Reference AdamW in double, element by element (torch.optim.AdamW, decoupled decay):
     * p ← p(1 − lr·wd); m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
     * p ← p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + ε).
     */
    static double[] referenceAdamW(double[] p0, double[][] grads, double[] lrs, double wd) {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] p = p0.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int t = 1; t <= grads.length; t++) {
            double lr = lrs[t - 1];
            for (int i = 0; i < p.length; i++) {
                double g = grads[t - 1][i];
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                p[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
        return p;
    }

    @Test
    void threeStepsWithWeightDecayMatchTheScalarFormula() {
        float[] p0 = {0.5f, -1.25f, 2.0f, 0.0f, -0.3f, 0.75f};
        float[][] grads = {
            {0.1f, -0.2f, 0.3f, 0.05f, -1.5f, 0.0f},
            {-0.4f, 0.1f, 0.25f, -0.05f, 0.7f, 0.2f},
            {0.2f, 0.3f, -0.6f, 0.5f, 0.1f, -0.9f}};
        double[] lrs = {0.1, 0.05, 0.02};
        double wd = 0.1;
        try (NDManager nd = NDManager.newBaseManager();
                AdamW adamw = AdamW.builder().optWeightDecay(wd).build()) {
            NDArray p = nd.create(p0, new Shape(2, 3));
            for (int t = 0; t < 3; t++) {
                NDArray g = nd.create(grads[t], new Shape(2, 3));
                adamw.step(Map.of("w", p), Map.of("w", g), lrs[t]);
            }
            double[] expected = referenceAdamW(toDouble(p0), toDouble(grads), lrs, wd);
            float[] actual = p.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6, "element " + i);
            }
            OptimizerState state = adamw.state();
            assertEquals(3, state.step());
            assertEquals(Map.of("w", 3L), state.paramSteps());
            assertArrayEquals(new long[] {2, 3}, state.shapes().get("exp_avg/w"));
            // m after 3 steps = Σ (1−β1) β1^(3−t) g_t for element 0: 0.1·(0.81·0.1 − 0.9·0.4 + 0.2)
            assertEquals(0.1 * (0.81 * 0.1 + 0.9 * -0.4 + 0.2), state.tensors().get("exp_avg/w")[0],
                    1e-7);
        }
    }

    @Test
    void firstStepMovesEachWeightByAboutLr() {
        // t = 1: m̂ = g, v̂ = g², so the update is lr·g / (|g| + ε) ≈ lr·sign(g).
        try (NDManager nd = NDManager.newBaseManager(); AdamW adamw = AdamW.withDefaults()) {
            NDArray p = nd.create(new float[] {1f, 1f});
            NDArray g = nd.create(new float[] {0.5f, -2f});
            adamw.step(Map.of("w", p), Map.of("w", g), 0.01);
            assertArrayEquals(new float[] {0.99f, 1.01f}, p.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void updatesAParameterWhoseGradientCameFromBackward() {
        // loss = Σ w², so grad = 2w = (2, −4); AdamW's first step moves w by lr·sign(grad).
        try (NDManager nd = NDManager.newBaseManager(); AdamW adamw = AdamW.withDefaults()) {
            NDArray w = nd.create(new float[] {1f, -2f});
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.square().sum());
            }
            NDArray grad = w.getGradient();
            assertArrayEquals(new float[] {2f, -4f}, grad.toFloatArray());
            adamw.step(Map.of("w", w), Map.of("w", grad), 0.1);
            assertArrayEquals(new float[] {0.9f, -1.9f}, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void skipsParametersWithoutGradient() {
        try (NDManager nd = NDManager.newBaseManager(); AdamW adamw = AdamW.withDefaults()) {
            NDArray a = nd.create(new float[] {1f, 2f});
            NDArray b = nd.create(new float[] {3f, 4f});
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("a", a);
            params.put("b", b);
            adamw.step(params, Map.of("a", nd.create(new float[] {1f, 1f})), 0.1);
            assertArrayEquals(new float[] {3f, 4f}, b.toFloatArray());
            assertTrue(a.toFloatArray()[0] < 1f);
            assertEquals(Map.of("a", 1L), adamw.state().paramSteps());
            assertEquals(2, adamw.state().tensors().size());
        }
    }

    @Test
    void rejectsMismatchedGradients() {
        try (NDManager nd = NDManager.newBaseManager(); AdamW adamw = AdamW.withDefaults()) {
            NDArray p = nd.create(new float[] {1f, 2f});
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> adamw.step(Map.of("w", p), Map.of("v", p), 0.1));
            assertTrue(unknown.getMessage().contains("'v'"), unknown.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> adamw.step(Map.of("w", p), Map.of("w", nd.ones(new Shape(3))), 0.1));
            assertTrue(shape.getMessage().contains("'w'"), shape.getMessage());
        }
    }

    @Test
    void rejectsInvalidSettingsAndUseAfterClose() {
        assertThrows(IllegalArgumentException.class,
                () -> AdamW.builder().optBetas(1.0, 0.999).build());
        assertThrows(IllegalArgumentException.class,
                () -> AdamW.builder().optWeightDecay(-0.1).build());
        AdamW adamw = AdamW.withDefaults();
        adamw.close();
        assertThrows(IllegalStateException.class, adamw::state);
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static double[][] toDouble(float[][] values) {
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = toDouble(values[i]);
        }
        return out;
    }
}
