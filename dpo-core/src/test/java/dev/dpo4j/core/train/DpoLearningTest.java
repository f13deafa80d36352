package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import ai.djl.Device;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.model.WeightNames;
import dev.dpo4j.core.train.PackedBatch.Layout;
import dev.dpo4j.core.train.SegmentLogps.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO learns a preference it can generalise: on a tiny random-weight Llama, chosen completions are drawn
 * from tokens 0–15 and rejected ones from tokens 16–31 (prompts from the whole vocabulary of 64). After
 * 100 steps of sigmoid DPO with LoRA, held-out pairs (never trained on) must be ranked correctly by the
 * implicit reward, and the training loss must have fallen.
 *
 * <p>Why these sizes: LoRA adapts the decoder layers, not the LM head, so the preference is learnable
 * only where a change of the final hidden state can raise the 16 preferred tokens' logits over the 16
 * others, i.e. where the two sets of LM-head rows are linearly separable. 32 random rows in 64 dimensions
 * are (Cover's function-counting theorem: N points in d dimensions are separable almost surely for
 * N ≤ d); with 64 rows in 32 dimensions, as a first try here had, the model memorised the 64 training
 * pairs and ranked only ~70% of the held-out ones correctly.
 *
 * <p>The maths checked independently of the trainer's metrics: the implicit reward of a completion y is
 * {@code r(y) = β·(log π(y|x) − log π_ref(y|x))} (Rafailov et al. 2023, "Direct Preference
 * Optimization", eq. 5), with π the model with adapters on and π_ref the same model with them off. A pair
 * is ranked correctly when {@code r(chosen) > r(rejected)}; {@code rewards/accuracies} is the share of
 * such pairs. The sigmoid loss {@code −log σ(r(chosen) − r(rejected))} equals log 2 ≈ 0.693 at the start
 * (LoRA's B is zero, so π = π_ref and every margin is 0), so a learning run must end below log 2.
 */
class DpoLearningTest {
    private static final int VOCAB = 64;
    private static final int HIDDEN = 64;
    private static final int PREFERRED = 16;
    private static final double BETA = 0.1;
    private static final int STEPS = 100;

    @TempDir
    Path runDir;

    @Test
    void loraDpoLearnsAHeldOutPreferenceAndTheLossFalls() {
        Random random = new Random(7);
        List<PreferencePair> train = pairs(64, random);
        List<PreferencePair> heldOut = pairs(32, random);
        TrainConfig config = TrainConfig.builder().lossType("sigmoid").beta(BETA).optimizer("adamw")
                .learningRate(5e-3).lrSchedulerType("constant").maxSteps(STEPS).trainBatchSize(8)
                .evalBatchSize(16).maxGradNorm(1.0).loggingSteps(1).loraConfig(LoraConfig.of(8, 16))
                .seed(11).build();
        try (DecoderModel model = tinyLlama(3); LoraModel lora = LoraModel.create(model, config.loraConfig(), 5)) {
            double before = heldOutAccuracy(model, lora, heldOut);
            // B = 0 at creation: every margin is exactly 0, so no pair counts as correctly ranked yet
            assertEquals(0.0, before, 1e-12, "accuracy before training");

            TrainResult result = new DpoTrainer(lora, config, runDir, "tiny-random-llama", null)
                    .train(train, heldOut, false);

            assertEquals(STEPS, result.steps());
            double evalAccuracy = result.lastEval().get("eval_rewards/accuracies");
            double independent = heldOutAccuracy(model, lora, heldOut);
            System.out.printf("DpoLearningTest: held-out reward accuracy %.3f (trainer eval %.3f), "
                    + "eval margin %.3f, eval loss %.4f%n", independent, evalAccuracy,
                    result.lastEval().get("eval_rewards/margins"), result.lastEval().get("eval_loss"));
            assertTrue(evalAccuracy >= 0.95, "eval_rewards/accuracies " + evalAccuracy);
            assertTrue(independent >= 0.95, "held-out accuracy from policy vs reference log-probs " + independent);
            // both count the same 32 pairs, so they agree up to float noise on a margin near 0
            assertEquals(evalAccuracy, independent, 1.0 / 32 + 1e-9, "trainer vs independent accuracy");

            List<Double> losses = new ArrayList<>();
            for (Map<String, Object> line : result.history()) {
                if (line.containsKey("loss")) {
                    losses.add(((Number) line.get("loss")).doubleValue());
                }
            }
            assertEquals(STEPS, losses.size(), "one logged training loss per step");
            double first = mean(losses.subList(0, 10));
            double last = mean(losses.subList(STEPS - 10, STEPS));
            System.out.printf("DpoLearningTest: mean loss of the first 10 steps %.4f, of the last 10 %.4f%n",
                    first, last);
            assertEquals(Math.log(2), losses.get(0), 1e-4, "step 1 loss: π = π_ref, so −log σ(0)");
            assertTrue(last < first, "loss must fall: first 10 " + first + ", last 10 " + last);
            assertTrue(last < Math.log(2), "final loss " + last + " must be below log 2");
        }
    }

    /**
     * The share of pairs whose implicit reward margin is positive, from log-probs of the model with
     * adapters on (policy) and off (reference), each pair as two separate sequences.
     */
    private static double heldOutAccuracy(DecoderModel model, LoraModel lora, List<PreferencePair> pairs) {
        SegmentLogps runner = new SegmentLogps(model);
        PackedBatch batch = PackedBatch.ofPairs(pairs, Layout.SEPARATE, 0);
        float[] policy = logps(runner, batch);
        float[] reference;
        try (LoraModel.Disabled off = lora.disabled()) {
            reference = logps(runner, batch);
        }
        int correct = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double chosenReward = BETA * (policy[2 * i] - reference[2 * i]);
            double rejectedReward = BETA * (policy[2 * i + 1] - reference[2 * i + 1]);
            if (chosenReward > rejectedReward) {
                correct++;
            }
        }
        return (double) correct / pairs.size();
    }

    private static float[] logps(SegmentLogps runner, PackedBatch batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return runner.run(batch, manager, Mode.INFERENCE, -1).logps().toFloatArray();
        }
    }

    /** Pairs with a random prompt (4–8 tokens), chosen from tokens 0–15, rejected from 16–31, equal lengths. */
    static List<PreferencePair> pairs(int count, Random random) {
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] prompt = tokens(4 + random.nextInt(5), 0, VOCAB, random);
            int length = 4 + random.nextInt(5);
            out.add(new PreferencePair(prompt, tokens(length, 0, PREFERRED, random),
                    tokens(length, PREFERRED, 2 * PREFERRED, random)));
        }
        return out;
    }

    private static long[] tokens(int length, int from, int to, Random random) {
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) {
            ids[i] = from + random.nextInt(to - from);
        }
        return ids;
    }

    /**
     * A Llama of vocab 64, hidden 64, 2 layers, 4 heads, 2 key/value heads, MLP width 128, untied LM head;
     * embeddings N(0, 1) and every (out, in) matrix N(0, 1/in), drawn from a seeded {@link Random} (norm
     * weights 1), so runs repeat.
     */
    static DecoderModel tinyLlama(long seed) {
        return tinyLlama(seed, LoadOptions.FLOAT32);
    }

    /** The same weights placed as {@code options} say (float16, a quantized base), as a checkpoint would be. */
    static DecoderModel tinyLlama(long seed, LoadOptions options) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("model_type", "llama");
        json.put("vocab_size", VOCAB);
        json.put("hidden_size", HIDDEN);
        json.put("intermediate_size", 2 * HIDDEN);
        json.put("num_hidden_layers", 2);
        json.put("num_attention_heads", 4);
        json.put("num_key_value_heads", 2);
        json.put("max_position_embeddings", 64);
        json.put("rms_norm_eps", 1e-5);
        json.put("tie_word_embeddings", false);
        json.put("hidden_act", "silu");
        ModelConfig config = ModelConfig.parse(json, "tiny-random-llama config");
        Random random = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : WeightNames.expected(config).entrySet()) {
            long[] shape = e.getValue();
            float[] v = new float[(int) new Shape(shape).size()];
            boolean norm = shape.length == 1;
            // embeddings N(0, 1); a matrix (out, in) N(0, 1/in), so each output and each logit has unit scale
            double std = e.getKey().equals(WeightNames.EMBED) ? 1.0 : 1.0 / Math.sqrt(shape[shape.length - 1]);
            for (int i = 0; i < v.length; i++) {
                v[i] = norm ? 1f : (float) (random.nextGaussian() * std);
            }
            values.put(e.getKey(), v);
        }
        if (options.equals(LoadOptions.FLOAT32)) {
            NDManager manager = NDManager.newBaseManager();
            Map<String, NDArray> params = new LinkedHashMap<>();
            values.forEach((name, v) -> params.put(name, manager.create(v, new Shape(WeightNames.expected(config).get(name)))));
            return DecoderModel.of(config, manager, params);
        }
        return DecoderModel.build(config, Device.cpu(), options, (name, first, count, dst) -> {
            dst.asFloatBuffer().put(values.get(name), (int) first, count);
            dst.position(dst.position() + count * Float.BYTES);
        });
    }


    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
