package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.train.PackedBatch.Layout;
import dev.dpo4j.core.train.SegmentLogps.Mode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Log-probs and gradients of one DPO step against the dpo-step-llama-tiny fixture, in every layout.
 *
 * <p>The sigmoid DPO loss is written out here (not taken from the loss package) so the fixture's
 * gradients check the forward/backward machinery alone:
 * {@code loss = mean_i −log σ(β·((πc − πr) − (ρc − ρr)))} with −log σ(z) = log(1 + e^(−z)).
 */
class SegmentLogpsTest {
    private static final double BETA = 0.1;

    @Test
    void policyAndReferenceLogpsMatchTheFixtureInEveryLayout() {
        double[] pc = DpoStepFixture.doubles("policy_chosen_logps");
        double[] pr = DpoStepFixture.doubles("policy_rejected_logps");
        double[] rc = DpoStepFixture.doubles("reference_chosen_logps");
        double[] rr = DpoStepFixture.doubles("reference_rejected_logps");
        try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
            SegmentLogps runner = new SegmentLogps(model);
            for (Layout layout : Layout.values()) {
                for (int pack : new int[] {0, 40}) {
                    PackedBatch batch = PackedBatch.ofPairs(DpoStepFixture.pairs(), layout, pack);
                    float[] policy = logps(runner, batch);
                    float[] reference;
                    try (LoraModel.Disabled off = lora.disabled()) {
                        reference = logps(runner, batch);
                    }
                    for (int i = 0; i < 3; i++) {
                        String where = layout + " pack " + pack + " pair " + i;
                        assertEquals(pc[i], policy[2 * i], 1e-4, where);
                        assertEquals(pr[i], policy[2 * i + 1], 1e-4, where);
                        assertEquals(rc[i], reference[2 * i], 1e-4, where);
                        assertEquals(rr[i], reference[2 * i + 1], 1e-4, where);
                    }
                }
            }
        }
    }

    @Test
    void sharedPromptPacksFewerTokensThanSeparateSequences() {
        List<PreferencePair> pairs = DpoStepFixture.pairs();
        PackedBatch shared = PackedBatch.ofPairs(pairs, Layout.SHARED_PROMPT, 0);
        PackedBatch separate = PackedBatch.ofPairs(pairs, Layout.SEPARATE, 0);
        // prompts 5 + 7 + 3 = 15 tokens are computed once instead of twice
        assertEquals(separate.realTokens() - 15, shared.realTokens());
        assertEquals(3, shared.rows());
        assertEquals(6, separate.rows());
        PackedBatch packed = PackedBatch.ofPairs(pairs, Layout.SHARED_PROMPT, 64);
        assertEquals(1, packed.rows());
        assertEquals(shared.realTokens(), packed.paddedTokens());
    }

    @Test
    void sigmoidGradientsMatchTheFixture() {
        Map<String, float[]> expected = DpoStepFixture.tensors("expected_grads.safetensors");
        Map<String, float[]> grads = gradients(Layout.SEPARATE, 0, Mode.TRAIN);
        assertEquals(expected.keySet(), grads.keySet());
        for (String name : expected.keySet()) {
            assertClose(expected.get(name), grads.get(name), 1e-4, name);
        }
    }

    @Test
    void sharedPackedAndCheckpointedStepsGiveThePlainGradients() {
        Map<String, float[]> plain = gradients(Layout.SEPARATE, 0, Mode.TRAIN);
        Map<String, Map<String, float[]>> variants = new LinkedHashMap<>();
        variants.put("shared", gradients(Layout.SHARED_PROMPT, 0, Mode.TRAIN));
        variants.put("shared+packed", gradients(Layout.SHARED_PROMPT, 48, Mode.TRAIN));
        variants.put("separate+packed", gradients(Layout.SEPARATE, 32, Mode.TRAIN));
        variants.put("checkpointed", gradients(Layout.SEPARATE, 0, Mode.TRAIN_CHECKPOINTED));
        variants.put("shared+packed+checkpointed", gradients(Layout.SHARED_PROMPT, 48, Mode.TRAIN_CHECKPOINTED));
        for (Map.Entry<String, Map<String, float[]>> v : variants.entrySet()) {
            for (String name : plain.keySet()) {
                assertClose(plain.get(name), v.getValue().get(name), 1e-5, v.getKey() + " " + name);
            }
        }
    }

    @Test
    void aChunkedLmHeadGivesTheUnchunkedGradients() {
        // The head runs C predicting states at a time and is recomputed chunk by chunk in backward; the
        // fixture's gradients (an unchunked computation outside dpo4j) must come out for any C, including
        // chunks that split a completion and a last chunk shorter than the others (29 completion tokens:
        // 4 + 6, 6 + 3, 5 + 5).
        Map<String, float[]> expected = DpoStepFixture.tensors("expected_grads.safetensors");
        Map<String, float[]> whole = gradients(Layout.SEPARATE, 0, Mode.TRAIN, Integer.MAX_VALUE);
        for (int rows : new int[] {1, 2, 7}) {
            for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN_CHECKPOINTED}) {
                Map<String, float[]> chunked = gradients(Layout.SHARED_PROMPT, 0, mode, rows);
                for (String name : expected.keySet()) {
                    assertClose(expected.get(name), chunked.get(name), 1e-4, "C=" + rows + " " + mode + " " + name);
                    assertClose(whole.get(name), chunked.get(name), 1e-5, "C=" + rows + " " + mode + " " + name);
                }
            }
            try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
                PackedBatch batch = PackedBatch.ofPairs(DpoStepFixture.pairs(), Layout.SHARED_PROMPT, 0);
                float[] one = logps(new SegmentLogps(model, Integer.MAX_VALUE), batch);
                float[] many = logps(new SegmentLogps(model, rows), batch);
                assertClose(one, many, 1e-6, "log-probs with C=" + rows);
            }
        }
    }

    /** Runs one sigmoid-DPO step's backward and reads the LoRA gradients. */
    private static Map<String, float[]> gradients(Layout layout, int pack, Mode mode) {
        return gradients(layout, pack, mode, Integer.MAX_VALUE);
    }

    /** The same with C predicting states per LM-head chunk. */
    private static Map<String, float[]> gradients(Layout layout, int pack, Mode mode, int headChunkRows) {
        try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model);
             NDManager manager = model.manager().newSubManager()) {
            SegmentLogps runner = new SegmentLogps(model, headChunkRows);
            PackedBatch batch = PackedBatch.ofPairs(DpoStepFixture.pairs(), layout, pack);
            NDArray reference;
            try (LoraModel.Disabled off = lora.disabled()) {
                reference = manager.create(logps(runner, batch));
            }
            SegmentLogps.Pass pass = runner.run(batch, manager, mode, -1);
            NDArray loss;
            try (Autograd.Scope on = Autograd.recording(true)) {
                NDArray ratios = pass.logps().sub(reference).reshape(3, 2); // (pairs, chosen|rejected)
                NDArray z = dev.dpo4j.core.util.Scalars.mul(ratios.get(":, 0").sub(ratios.get(":, 1")), BETA);
                loss = z.neg().exp().add(1).log().mean();
            }
            dev.dpo4j.core.util.ScalarsTest.churnDirectMemory(); // a GC between forward and backward is harmless
            pass.backward(loss);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    out.put(e.getKey(), g.toFloatArray());
                }
            }
            return out;
        }
    }

    private static float[] logps(SegmentLogps runner, PackedBatch batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return runner.run(batch, manager, Mode.INFERENCE, -1).logps().toFloatArray();
        }
    }

    /** |a − b| ≤ tol · max|a| element-wise. */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (float v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0, what + ": all-zero expectation");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            assertTrue(diff <= tol * max, what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]
                    + " (|diff| " + diff + " > " + tol + "·" + max + ")");
        }
    }
}
