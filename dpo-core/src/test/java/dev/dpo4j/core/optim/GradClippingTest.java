package dev.dpo4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** clip_grad_norm_ semantics: total = sqrt(Σ‖g‖²), coef = maxNorm / (total + 1e-6). */
class GradClippingTest {

    private static Map<String, NDArray> grads(NDManager nd) {
        // ‖a‖ = ‖(3, 4)‖ = 5, ‖b‖ = 12, total = sqrt(25 + 144) = 13
        Map<String, NDArray> grads = new LinkedHashMap<>();
        grads.put("a", nd.create(new float[] {3f, 4f}));
        grads.put("b", nd.create(new float[] {12f}, new Shape(1, 1)));
        return grads;
    }

    @Test
    void scalesToMaxNormWhenAbove() {
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, NDArray> g = grads(nd);
            assertEquals(13.0, GradClipping.clipGlobalNorm(g, 1.0), 1e-6);
            // coef = 1 / (13 + 1e-6): a = (3/13, 4/13), b = 12/13
            double coef = 1.0 / (13 + 1e-6);
            assertArrayEquals(new float[] {(float) (3 * coef), (float) (4 * coef)},
                    g.get("a").toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {(float) (12 * coef)}, g.get("b").toFloatArray(), 1e-7f);
            assertEquals(1.0, GradClipping.globalNorm(g), 1e-6);
        }
    }

    @Test
    void leavesGradientsBelowMaxNormOrWithoutClipping() {
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, NDArray> g = grads(nd);
            assertEquals(13.0, GradClipping.clipGlobalNorm(g, 20.0), 1e-6);
            assertArrayEquals(new float[] {3f, 4f}, g.get("a").toFloatArray());
            assertEquals(13.0, GradClipping.clipGlobalNorm(g, 0.0), 1e-6);
            assertEquals(13.0, GradClipping.clipGlobalNorm(g, -1.0), 1e-6);
            assertArrayEquals(new float[] {12f}, g.get("b").toFloatArray());
            assertEquals(0.0, GradClipping.clipGlobalNorm(Map.of(), 1.0));
        }
    }

    @Test
    void normOfLargerTensorsMatchesDoubleSum() {
        Random random = new Random(7);
        float[] x = new float[4096];
        float[] y = new float[300];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
            sum += (double) x[i] * x[i];
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextGaussian() * 3;
            sum += (double) y[i] * y[i];
        }
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, NDArray> g = new LinkedHashMap<>();
            g.put("x", nd.create(x, new Shape(64, 64)));
            g.put("y", nd.create(y));
            double expected = Math.sqrt(sum);
            assertEquals(expected, GradClipping.clipGlobalNorm(g, 0), expected * 1e-6);
        }
    }

    @Test
    void findsTheFirstNonFiniteGradient() {
        try (NDManager nd = NDManager.newBaseManager()) {
            Map<String, NDArray> g = grads(nd);
            assertNull(GradClipping.allFinite(g));
            g.put("c", nd.create(new float[] {1f, Float.NaN}));
            g.put("d", nd.create(new float[] {Float.POSITIVE_INFINITY}));
            assertEquals("c", GradClipping.allFinite(g));
            g.remove("c");
            assertEquals("d", GradClipping.allFinite(g));
            g.put("d", nd.create(new float[] {0f, Float.NEGATIVE_INFINITY}));
            assertEquals("d", GradClipping.allFinite(g));
        }
    }
}
