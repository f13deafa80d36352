package dev.dpo4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.Linear;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attaching, initialising, switching off and detaching adapters; PEFT's targeting and scaling rules. */
class LoraModelTest {
    @Test
    void scalingFollowsLoraAndRsLora() {
        assertEquals(2.0, LoraConfig.of(8, 16).scaling(), 0);
        // rsLoRA: alpha / sqrt(r) = 16 / sqrt(64) = 2
        assertEquals(2.0, new LoraConfig(64, 16, 0, null, null, true).scaling(), 0);
        assertEquals(0.25, new LoraConfig(64, 16, 0, null, null, false).scaling(), 0);
    }

    @Test
    void targetsMatchPathSuffixesAsPeftDoes() {
        LoraConfig c = LoraConfig.of(4, 8).withTargets(List.of("q_proj", "mlp.down_proj"));
        assertTrue(c.targets("model.layers.0.self_attn.q_proj"));
        assertTrue(c.targets("model.layers.11.mlp.down_proj"));
        assertFalse(c.targets("model.layers.0.self_attn.k_proj"));
        assertFalse(c.targets("model.layers.0.self_attn.xq_proj"), "a suffix match needs a dot boundary");
        assertTrue(LoraConfig.of(4, 8).targets("model.layers.0.mlp.up_proj"));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 8, 0, null, "all", false));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 8, 0, null, null, false));
    }

    @Test
    void freshAdaptersStartAtTheBaseAndFollowPeftInitialisation() {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/llama-tiny"))) {
            float[] base = logits(model);
            try (LoraModel lora = LoraModel.create(model, LoraConfig.of(4, 8).withTargets(List.of("q_proj", "v_proj")), 3)) {
                assertEquals(2 * 2 * 2, lora.parameters().size(), "2 layers × (q, v) × (A, B)");
                for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                    float[] v = e.getValue().toFloatArray();
                    if (e.getKey().contains("lora_B")) {
                        for (float x : v) {
                            assertEquals(0f, x, "B starts at zero");
                        }
                    } else {
                        double bound = 1 / Math.sqrt(64); // Kaiming-uniform with a = sqrt(5): 1/sqrt(fan_in)
                        double max = 0;
                        for (float x : v) {
                            max = Math.max(max, Math.abs(x));
                        }
                        assertTrue(max <= bound && max > 0.5 * bound, "A within ±1/sqrt(in): " + max);
                    }
                    assertTrue(e.getValue().hasGradient(), "trainable: " + e.getKey());
                }
                assertArrayClose(base, logits(model), 0, "B = 0: the adapted model is the base");
                // Move B away from zero: the output changes, and changes back inside disabled().
                for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                    if (e.getKey().contains("lora_B")) {
                        try (NDArray ones = e.getValue().onesLike()) {
                            e.getValue().addi(ones.mul(0.05f));
                        }
                    }
                }
                float[] adapted = logits(model);
                assertTrue(maxDiff(base, adapted) > 1e-3);
                try (LoraModel.Disabled off = lora.disabled()) {
                    assertArrayClose(base, logits(model), 0, "adapters off = base");
                }
                assertArrayClose(adapted, logits(model), 0, "back on after the scope");
                Linear k = model.linears().get("model.layers.0.self_attn.k_proj");
                assertNull(k.adapter(), "k_proj is not targeted");
            }
            assertArrayClose(base, logits(model), 0, "closing detaches the adapters");
            for (Linear l : model.linears().values()) {
                assertNull(l.adapter());
            }
        }
    }

    private static float[] logits(DecoderModel model) {
        try (NDManager m = model.manager().newSubManager()) {
            long[] ids = {1, 17, 42, 99, 5};
            NDArray input = m.create(ids).reshape(1, ids.length);
            NDArray mask = dev.dpo4j.core.model.AttentionMask.causal(m, ids.length, ids.length, new int[] {0},
                    new int[] {ids.length}, 0);
            return model.logits(model.forward(input, new long[] {0, 1, 2, 3, 4}, mask, null)).toFloatArray();
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertArrayClose(float[] a, float[] b, double tol, String what) {
        assertTrue(maxDiff(a, b) <= tol, what + ": max diff " + maxDiff(a, b));
    }
}
