package dev.dpo4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.DecoderModel;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LoraMerge}: W' = W + scaling·B·A against plain loops, and a merged model against the adapted one. */
class LoraMergeTest {

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void mergeEqualsLoops() {
        Random rnd = new Random(3);
        int out = 5;
        int in = 7;
        int r = 3;
        float[] w = random(rnd, out * in);
        float[] a = random(rnd, r * in);
        float[] b = random(rnd, out * r);
        float[] expected = LoraTestSupport.handMerge(w, a, b, out, in, r, 1.5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray aa = m.create(a, new Shape(r, in));
            NDArray bb = m.create(b, new Shape(out, r));
            NDArray merged = LoraMerge.merge(m.create(w, new Shape(out, in)), aa, bb, 1.5);
            assertEquals(new Shape(out, in), merged.getShape());
            float[] got = merged.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                // float32 result of a rank-3 sum of O(1) terms: a few ulps of numbers below ~20
                assertEquals(expected[i], got[i], 1e-5, "element " + i);
            }
            assertArrayEquals(a, aa.toFloatArray(), "A unchanged");
            assertArrayEquals(b, bb.toFloatArray(), "B unchanged");
            NDArray wrongA = m.create(a, new Shape(in, r));
            assertThrows(IllegalArgumentException.class,
                    () -> LoraMerge.merge(m.create(w, new Shape(out, in)), wrongA, bb, 1.5));
        }
    }

    @Test
    void mergedModelMatchesAdaptedModel() throws IOException {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/llama-tiny"));
             LoraModel lora = PeftAdapters.load(model, Fixtures.path("dpo-step-llama-tiny"))) {
            Map<String, float[]> before = lora.snapshot();
            float[] adapted = LoraTestSupport.logits(model, LoraTestSupport.IDS);
            try (DecoderModel merged = LoraMerge.mergedModel(lora)) {
                assertTrue(merged.linears().values().stream().allMatch(l -> l.adapter() == null));
                float[] got = LoraTestSupport.logits(merged, LoraTestSupport.IDS);
                double diff = LoraTestSupport.maxDiff(adapted, got);
                assertTrue(diff < 1e-4, "merged vs adapted max diff " + diff);
            }
            // the adapters and the base model are untouched and still attached
            Map<String, float[]> after = lora.snapshot();
            before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
            assertArrayEquals(adapted, LoraTestSupport.logits(model, LoraTestSupport.IDS));
            assertThrows(IllegalArgumentException.class, () -> LoraMerge.mergedWeight(lora, "lm_head"));
            assertEquals("model.layers.0.mlp.up_proj.weight", LoraMerge.weightName("model.layers.0.mlp.up_proj"));
        }
    }
}
