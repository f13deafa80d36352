package dev.dpo4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SGD against torch.optim.SGD's update rule, computed in double. */
class SgdTest {

    @Test
    void plainSgdSubtractsLrTimesGradient() {
        // p = p − lr·g: 1 − 0.1·0.5 = 0.95, −2 − 0.1·(−1) = −1.9
        try (NDManager nd = NDManager.newBaseManager(); Sgd sgd = Sgd.plain()) {
            NDArray p = nd.create(new float[] {1f, -2f});
            NDArray g = nd.create(new float[] {0.5f, -1f});
            sgd.step(Map.of("w", p), Map.of("w", g), 0.1);
            assertArrayEquals(new float[] {0.95f, -1.9f}, p.toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {0.5f, -1f}, g.toFloatArray(), "gradient untouched");
            assertTrue(sgd.state().tensors().isEmpty());
        }
    }

    @Test
    void momentumAndWeightDecayFollowTorch() {
        // torch: d = g + wd·p; b = d (t = 1) else μ·b + d; p = p − lr·b.
        float[] p0 = {1f, -0.5f, 0.25f};
        float[][] grads = {{0.2f, 0.4f, -1f}, {-0.1f, 0.3f, 0.5f}, {0.6f, -0.2f, 0.1f}};
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        double[] p = AdamWTest.toDouble(p0);
        double[] b = new double[3];
        for (int t = 0; t < grads.length; t++) {
            for (int i = 0; i < 3; i++) {
                double d = grads[t][i] + wd * p[i];
                b[i] = t == 0 ? d : mu * b[i] + d;
                p[i] -= lr * b[i];
            }
        }
        try (NDManager nd = NDManager.newBaseManager();
                Sgd sgd = Sgd.builder().optMomentum(mu).optWeightDecay(wd).build()) {
            NDArray param = nd.create(p0);
            for (float[] g : grads) {
                sgd.step(Map.of("w", param), Map.of("w", nd.create(g)), lr);
            }
            float[] actual = param.toFloatArray();
            float[] buffer = sgd.state().tensors().get("momentum_buffer/w");
            for (int i = 0; i < 3; i++) {
                assertEquals(p[i], actual[i], 1e-6, "param " + i);
                assertEquals(b[i], buffer[i], 1e-6, "momentum " + i);
            }
            assertEquals(3, sgd.state().step());
        }
    }

    @Test
    void nesterovUsesGradientPlusMomentum() {
        // t = 1: b = g = 1; d = g + μ·b = 1.9; p = 0 − 0.1·1.9 = −0.19.
        // t = 2: b = 0.9·1 + 1 = 1.9; d = 1 + 0.9·1.9 = 2.71; p = −0.19 − 0.271 = −0.461.
        try (NDManager nd = NDManager.newBaseManager();
                Sgd sgd = Sgd.builder().optMomentum(0.9).optNesterov(true).build()) {
            NDArray p = nd.create(new float[] {0f});
            sgd.step(Map.of("w", p), Map.of("w", nd.create(new float[] {1f})), 0.1);
            assertEquals(-0.19f, p.toFloatArray()[0], 1e-6f);
            sgd.step(Map.of("w", p), Map.of("w", nd.create(new float[] {1f})), 0.1);
            assertEquals(-0.461f, p.toFloatArray()[0], 1e-6f);
        }
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder().optNesterov(true).build());
        assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder().optMomentum(-1).build());
    }
}
