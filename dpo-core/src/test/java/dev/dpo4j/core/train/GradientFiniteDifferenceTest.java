package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.util.Scalars;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LoRA gradients of a DPO step on the other fixture architectures (Qwen2: q/k/v bias, BF16 weights,
 * tied embeddings; Gemma: GELU-tanh, 1 + weight norms, scaled embeddings, multi-query attention, head
 * dim ≠ hidden/heads) against central finite differences of the same loss,
 * {@code (L(θ + ε) − L(θ − ε)) / 2ε}, for a few entries of the first and last layer's A and B. A graph cut
 * anywhere (a cast, a freed scalar) shows up as a zero or wrong gradient here.
 *
 * <p>Loss: sigmoid DPO with β = 1 against the base model (adapters off) on shared-prompt layouts; float32
 * forward, so ε = 1e-2 and the tolerance is 3 % of the largest gradient of the tensor plus 2e-3.
 */
class GradientFiniteDifferenceTest {
    private static final double EPS = 1e-2;

    @ParameterizedTest
    @ValueSource(strings = {"qwen2-tiny", "gemma-tiny", "llama-tiny"})
    void loraGradientsMatchFiniteDifferences(String name) {
        List<PreferencePair> pairs = TrainerResumeTest.pairs(3, 11);
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/" + name));
             LoraModel lora = LoraModel.create(model, LoraConfig.of(4, 8), 5)) {
            Random random = new Random(1);
            for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                if (e.getKey().contains("lora_B")) { // B ≠ 0 so that A's gradient is not zero as well
                    float[] v = new float[(int) e.getValue().size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (random.nextGaussian() * 0.05);
                    }
                    e.getValue().set(new NDIndex(":"), model.manager().create(v, e.getValue().getShape()));
                }
            }
            PackedBatch batch = PackedBatch.ofPairs(pairs, PackedBatch.Layout.SHARED_PROMPT, 0);
            float[] reference;
            try (NDManager m = model.manager().newSubManager(); LoraModel.Disabled off = lora.disabled()) {
                reference = new SegmentLogps(model).run(batch, m, SegmentLogps.Mode.INFERENCE, -1).logps().toFloatArray();
            }
            for (NDArray p : lora.parameters().values()) {
                Autograd.zeroGradient(p);
            }
            try (NDManager m = model.manager().newSubManager()) {
                SegmentLogps.Pass pass = new SegmentLogps(model).run(batch, m, SegmentLogps.Mode.TRAIN, -1);
                NDArray loss;
                try (Autograd.Scope on = Autograd.recording(true)) {
                    loss = loss(pass.logps(), m.create(reference));
                }
                pass.backward(loss);
            }
            int layers = model.config().numLayers();
            for (String module : List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                    "model.layers." + (layers - 1) + ".mlp.down_proj")) {
                for (String key : List.of(LoraModel.keyA(module), LoraModel.keyB(module))) {
                    NDArray p = lora.parameters().get(key);
                    float[] grad;
                    try (NDArray g = p.getGradient()) {
                        grad = g.toFloatArray();
                    }
                    double max = 0;
                    for (float g : grad) {
                        max = Math.max(max, Math.abs(g));
                    }
                    assertTrue(max > 1e-4, name + " " + key + ": gradient is zero");
                    for (int k = 0; k < 3; k++) {
                        int i = random.nextInt(grad.length);
                        double fd = (lossAt(model, batch, reference, p, i, EPS) - lossAt(model, batch, reference, p, i, -EPS))
                                / (2 * EPS);
                        assertTrue(Math.abs(fd - grad[i]) <= 0.03 * max + 2e-3,
                                name + " " + key + "[" + i + "]: autograd " + grad[i] + ", finite difference " + fd
                                        + " (max " + max + ")");
                    }
                }
            }
        }
    }

    /** Mean over pairs of −log σ(Δπ − Δref) with β = 1. */
    private static NDArray loss(NDArray policy, NDArray reference) {
        NDArray ratios = policy.sub(reference).reshape(-1, 2);
        NDArray z = ratios.get(":, 0").sub(ratios.get(":, 1"));
        return Scalars.mul(z.neg().exp().add(1).log(), 1.0).mean();
    }

    private static double lossAt(DecoderModel model, PackedBatch batch, float[] reference, NDArray p, int index,
                                 double delta) {
        float[] values = p.toFloatArray();
        float saved = values[index];
        values[index] = (float) (saved + delta);
        try (NDManager m = model.manager().newSubManager(); Autograd.Scope off = Autograd.recording(false)) {
            p.set(new NDIndex(":"), m.create(values, p.getShape()));
            float[] policy = new SegmentLogps(model).run(batch, m, SegmentLogps.Mode.INFERENCE, -1).logps().toFloatArray();
            return loss(m.create(policy), m.create(reference)).toFloatArray()[0];
        } finally {
            values[index] = saved;
            try (NDManager m = model.manager().newSubManager(); Autograd.Scope off = Autograd.recording(false)) {
                p.set(new NDIndex(":"), m.create(values, p.getShape()));
            }
        }
    }
}
