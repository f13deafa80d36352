package dev.dpo4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step frees every temporary it makes: the caller's manager holds as many arrays after. */
class StepMemoryTest {

    private static void assertNoGrowth(Optimizer opt) {
        try (NDManager nd = NDManager.newBaseManager(); opt) {
            NDArray p = nd.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
            NDArray g = nd.create(new float[] {0.5f, -0.5f, 0.25f, 2f}, new Shape(2, 2));
            Map<String, NDArray> params = Map.of("w", p);
            Map<String, NDArray> grads = Map.of("w", g);
            opt.step(params, grads, 0.1); // first step creates the optimizer's own buffers
            int before = nd.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                GradClipping.clipGlobalNorm(grads, 1.0);
                assertNull(GradClipping.allFinite(grads));
                opt.step(params, grads, 0.1);
            }
            assertEquals(before, nd.getManagedArrays().size());
        }
    }

    @Test
    void adamWStepsDoNotLeak() {
        assertNoGrowth(AdamW.builder().optWeightDecay(0.01).build());
    }

    @Test
    void sgdStepsDoNotLeak() {
        assertNoGrowth(Sgd.builder().optMomentum(0.9).optWeightDecay(0.01).build());
        assertNoGrowth(Sgd.builder().optMomentum(0.9).optNesterov(true).build());
        assertNoGrowth(Sgd.plain());
    }
}
