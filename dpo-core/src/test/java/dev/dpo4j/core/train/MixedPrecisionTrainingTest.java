package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.Precision;
import dev.dpo4j.core.util.Casts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training a float16 model: float32 LoRA masters, float16 base and activations, dynamic loss scaling.
 *
 * <p>The golden step: with SGD at learning rate 1 and no clipping, the adapter after one step is
 * {@code ADAPTER − d loss / d ADAPTER}, so the update must equal the fixture's float32 gradients (computed
 * outside dpo4j) to float16's precision: over all LoRA tensors ‖Δ‖₂ within 1e-2 of ‖g‖₂; per tensor within
 * 3e-2, and every element within 4e-2 of its tensor's largest gradient (the worst tensor, layer 0's k_proj
 * A, measured 1.2e-2: the key gradient cancels across the softmax's rows, which amplifies float16's
 * rounding; a float32 softmax changes it by less than 1e-3). The global figure is a property of float16's
 * rounding, not of summation order: 7.92e-3 to 8.22e-3 over loss scales 2^8 to 2^12, one or two threads,
 * one or three micro-batches, sigmoid and ipo. The loss is scaled for backward, so this also checks that
 * gradients are unscaled before the update.
 */
class MixedPrecisionTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static DecoderModel halfBase() {
        return DecoderModel.load(Fixtures.path("models/llama-tiny"), Device.cpu(), LoadOptions.of(Precision.FLOAT16));
    }

    @ParameterizedTest(name = "{0} shared={3} checkpointed={4}")
    @CsvSource({
        "sigmoid, expected_grads.safetensors, 0, true, false",
        "sigmoid, expected_grads.safetensors, 0, false, false",
        "sigmoid, expected_grads.safetensors, 0, true, true",
        "ipo, expected_grads_ipo.safetensors, 0, true, false",
        "hinge, expected_grads_hinge.safetensors, 0, true, false",
        "robust, expected_grads_robust.safetensors, 0.1, true, false",
    })
    void oneFloat16StepMatchesTheFloat32Gradients(String loss, String gradFile, double labelSmoothing,
                                                  boolean shared, boolean checkpointed) throws IOException {
        Map<String, float[]> start = DpoStepFixture.adapterWeights();
        Map<String, float[]> grads = DpoStepFixture.tensors(gradFile);
        Path out = tmp.resolve(loss + shared + checkpointed);
        TrainConfig config = TrainConfig.builder().lossType(loss).beta(0.1).labelSmoothing(labelSmoothing)
                .optimizer("sgd").learningRate(1.0).maxSteps(1).trainBatchSize(3).maxGradNorm(0).warmupSteps(0)
                .sharePrompt(shared).gradientCheckpointing(checkpointed).loggingSteps(1).build();
        TrainResult result;
        try (DecoderModel model = halfBase(); LoraModel lora = DpoStepFixture.adapter(model);
             DpoObjective dpo = new DpoObjective(lora, config, out, null)) {
            assertEquals(DataType.FLOAT16, model.dtype());
            for (NDArray p : lora.parameters().values()) {
                assertEquals(DataType.FLOAT32, p.getDataType(), "LoRA masters stay float32");
            }
            // 2^10, not GradScaler's 2^16: IPO's gradient (2·(h − 1/(2β)) ≈ 10 per pair) times 2^16 overflows
            // float16 at once, and a skipped step would leave nothing to compare.
            result = new Trainer<>(lora, config, dpo, out, "llama-tiny", null).withLossScaler(new LossScaler(1024, 2000))
                    .train(DpoStepFixture.pairs(), List.of(), false);
        }
        Map<String, Object> line = result.history().get(0);
        assertEquals(1024.0, ((Number) line.get("loss_scale")).doubleValue(), "no overflow at this scale");
        assertEquals(0L, ((Number) line.get("skipped_steps")).longValue());
        double expectedLoss = DpoStepFixture.expected().get("loss").get(loss).asDouble();
        assertEquals(expectedLoss, ((Number) line.get("loss")).doubleValue(), 1e-2 * Math.max(1, Math.abs(expectedLoss)));
        Map<String, float[]> after = PeftAdapters.read(out).weights();
        double worstNorm = 0;
        double worstElement = 0;
        double diffSquares = 0;
        double gradSquares = 0;
        for (String name : start.keySet()) {
            float[] g = grads.get(name);
            float[] delta = new float[g.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = start.get(name)[i] - after.get(name)[i];
                diffSquares += ((double) g[i] - delta[i]) * ((double) g[i] - delta[i]);
                gradSquares += (double) g[i] * g[i];
            }
            double norm = relativeNormError(g, delta);
            worstNorm = Math.max(worstNorm, norm);
            worstElement = Math.max(worstElement, relativeMaxError(g, delta));
            assertTrue(norm <= 3e-2, loss + " " + name + ": ||Δgrad|| / ||grad|| = " + norm + " > 3e-2");
            SegmentLogpsTest.assertClose(g, delta, 4e-2, loss + " " + name);
        }
        double global = Math.sqrt(diffSquares / gradSquares);
        System.out.printf("float16 step %s shared=%s checkpointed=%s: ||Δg||/||g|| = %.3g over all tensors, worst tensor"
                + " %.3g, worst max|Δg|/max|g| %.3g%n", loss, shared, checkpointed, global, worstNorm, worstElement);
        assertTrue(global <= 1e-2, loss + ": the step's gradient is off by ||Δg|| / ||g|| = " + global + " > 1e-2");
    }

    @Test
    void aGradientOverflowSkipsExactlyThatStepAndHalvesTheScale() throws IOException {
        // Step 2's loss gets + Σ sqrt(|logps − logps|): its value is 0, its gradient NaN (sqrt' at 0 is ∞,
        // times |·|' = 0), as an overflow in float16's backward would leave it.
        Path out = tmp.resolve("overflow");
        TrainConfig config = TrainConfig.builder().optimizer("adamw").learningRate(1e-2).maxSteps(4).trainBatchSize(3)
                .warmupSteps(0).loggingSteps(1).saveSteps(1).build();
        try (DecoderModel model = halfBase(); LoraModel lora = DpoStepFixture.adapter(model);
             DpoObjective dpo = new DpoObjective(lora, config, out, null)) {
            Objective<PreferencePair> poisoned = new Poisoned(dpo, 2);
            TrainResult result = new Trainer<>(lora, config, poisoned, out, "llama-tiny", null)
                    .train(DpoStepFixture.pairs(), List.of(), false);
            List<Map<String, Object>> lines = result.history();
            assertEquals(4, lines.size());
            assertEquals(65536.0, ((Number) lines.get(0).get("loss_scale")).doubleValue());
            assertTrue(lines.get(0).get("grad_norm") != null);
            assertEquals(32768.0, ((Number) lines.get(1).get("loss_scale")).doubleValue(), "halved at the overflow");
            assertNull(lines.get(1).get("grad_norm"), "a skipped step has no gradient norm");
            assertEquals(1L, ((Number) lines.get(1).get("skipped_steps")).longValue());
            assertEquals(32768.0, ((Number) lines.get(2).get("loss_scale")).doubleValue(), "no growth before 2000 steps");
            assertEquals(1L, ((Number) lines.get(3).get("skipped_steps")).longValue(), "only that step was skipped");
            assertTrue(Double.isFinite(((Number) lines.get(2).get("loss")).doubleValue()));
        }
        // The skipped step changed neither the adapter nor AdamW's state; the next step did.
        assertArrayEquals(Files.readAllBytes(out.resolve("checkpoint-1/" + PeftAdapters.WEIGHTS_FILE)),
                Files.readAllBytes(out.resolve("checkpoint-2/" + PeftAdapters.WEIGHTS_FILE)));
        assertArrayEquals(Files.readAllBytes(out.resolve("checkpoint-1/" + CheckpointStore.OPTIMIZER_FILE)),
                Files.readAllBytes(out.resolve("checkpoint-2/" + CheckpointStore.OPTIMIZER_FILE)));
        assertFalse(Arrays.equals(Files.readAllBytes(out.resolve("checkpoint-2/" + PeftAdapters.WEIGHTS_FILE)),
                Files.readAllBytes(out.resolve("checkpoint-3/" + PeftAdapters.WEIGHTS_FILE))));
        JsonNode state = JSON.readTree(out.resolve("checkpoint-2/" + CheckpointStore.STATE_FILE).toFile());
        assertEquals(32768.0, state.get("loss_scaler").get("scale").asDouble());
        assertEquals("float16", state.get("dtype").asText());
    }

    @Test
    void float16TrainingResumesToTheSameAdapter() throws IOException {
        // The scaler's state travels in the checkpoint: 3 steps, then 3 more resumed from step 3, equal 6.
        TrainConfig six = TrainConfig.builder().learningRate(1e-2).maxSteps(6).trainBatchSize(1).warmupSteps(0)
                .saveSteps(3).build();
        Path full = tmp.resolve("full");
        Path resumed = tmp.resolve("resumed");
        try (DecoderModel model = halfBase(); LoraModel lora = DpoStepFixture.adapter(model)) {
            new DpoTrainer(lora, six, full, "llama-tiny", null).train(DpoStepFixture.pairs(), List.of(), false);
        }
        try (DecoderModel model = halfBase(); LoraModel lora = DpoStepFixture.adapter(model)) {
            Objective<PreferencePair> stopAt4;
            try (DpoObjective dpo = new DpoObjective(lora, six, resumed, null)) {
                stopAt4 = new Poisoned(dpo, -1) {
                    @Override
                    public StepLoss loss(List<PreferencePair> e, int[] i, boolean eval, PackedBatch b,
                                         SegmentLogps.Pass p, NDManager m) {
                        if (!eval && ++calls == 4) {
                            throw new IllegalStateException("simulated crash at step 4");
                        }
                        return inner.loss(e, i, eval, b, p, m);
                    }
                };
                try {
                    new Trainer<>(lora, six, stopAt4, resumed, "llama-tiny", null).train(DpoStepFixture.pairs(), List.of(),
                            false);
                } catch (IllegalStateException expected) {
                    assertEquals("simulated crash at step 4", expected.getMessage());
                }
            }
        }
        try (DecoderModel model = halfBase(); LoraModel lora = DpoStepFixture.adapter(model)) {
            new DpoTrainer(lora, six, resumed, "llama-tiny", null).train(DpoStepFixture.pairs(), List.of(), true);
        }
        assertArrayEquals(Files.readAllBytes(full.resolve(PeftAdapters.WEIGHTS_FILE)),
                Files.readAllBytes(resumed.resolve(PeftAdapters.WEIGHTS_FILE)));
    }

    @ParameterizedTest
    @CsvSource({"float16", "nf4"})
    void sftInReducedPrecisionStartsAtTheFloat32NllAndLowersIt(String variant) {
        // SFT shares the loop: the first loss is the base's token-mean NLL (float32 scorer) to within the
        // format's error, and 30 steps on a fixed completion more than halve it.
        List<SftExample> examples = new java.util.ArrayList<>();
        for (PreferencePair p : TrainerResumeTest.pairs(8, 3)) {
            examples.add(new SftExample(p.promptIds(), new long[] {17, 42, 99, 42}));
        }
        double nll;
        try (DecoderModel f32 = DpoStepFixture.base()) {
            double sum = 0;
            int tokens = 0;
            for (dev.dpo4j.core.score.CompletionScore c : new dev.dpo4j.core.score.LogProbScorer(f32).score(examples
                    .stream().map(e -> new dev.dpo4j.core.score.ScoringRequest(e.promptIds(), e.completionIds()))
                    .toList(), 4)) {
                sum += c.logprob();
                tokens += c.tokenLogprobs().length;
            }
            nll = -sum / tokens;
        }
        TrainConfig config = TrainConfig.builder().learningRate(2e-2).maxSteps(30).trainBatchSize(8).loggingSteps(1)
                .warmupSteps(0).lrSchedulerType("constant").loraConfig(dev.dpo4j.core.lora.LoraConfig.of(8, 16)).build();
        LoadOptions options = variant.equals("nf4") ? LoadOptions.of(Precision.FLOAT16)
                .withQuantization(dev.dpo4j.core.quant.QuantConfig.nf4(false)) : LoadOptions.of(Precision.FLOAT16);
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/llama-tiny"), Device.cpu(), options);
             LoraModel lora = LoraModel.create(model, config.loraConfig(), 1)) {
            TrainResult r = new SftTrainer(lora, config, tmp.resolve("sft-" + variant), "llama-tiny", null)
                    .train(examples, List.of(), false);
            double first = ((Number) r.history().get(0).get("loss")).doubleValue();
            double last = ((Number) r.history().get(r.history().size() - 1).get("loss")).doubleValue();
            double tol = variant.equals("nf4") ? 0.2 : 1e-2; // llama-tiny's NF4 error: ~0.8 nats per token (docs)
            assertEquals(nll, first, tol * nll, variant + ": first loss vs the float32 NLL");
            assertTrue(last < 0.5 * first, variant + ": loss " + first + " -> " + last);
            assertTrue(((Number) r.history().get(29).get("skipped_steps")).longValue() <= 3);
        }
    }

    @Test
    void aFloat32CheckpointIsNotResumedAsFloat16() {
        Path out = tmp.resolve("mixed");
        TrainConfig config = TrainConfig.builder().maxSteps(2).trainBatchSize(3).saveSteps(1).build();
        try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
            new DpoTrainer(lora, config, out, "llama-tiny", null).train(DpoStepFixture.pairs(), List.of(), false);
        }
        try (DecoderModel model = halfBase(); LoraModel lora = DpoStepFixture.adapter(model)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DpoTrainer(lora, config, out, "llama-tiny", null).train(DpoStepFixture.pairs(), List.of(),
                            true));
            assertTrue(e.getMessage().contains("checkpoint of a float32 run") && e.getMessage().contains("float16"),
                    e.getMessage());
        }
    }

    /** max |expected − actual| / max |expected|. */
    private static double relativeMaxError(float[] expected, float[] actual) {
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        return diff / max;
    }

    /** ‖expected − actual‖₂ / ‖expected‖₂. */
    private static double relativeNormError(float[] expected, float[] actual) {
        double norm = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            norm += (double) expected[i] * expected[i];
            diff += ((double) expected[i] - actual[i]) * ((double) expected[i] - actual[i]);
        }
        return Math.sqrt(diff / norm);
    }

    /** DPO whose n-th training loss (1-based) has a NaN gradient and an unchanged value. */
    private static class Poisoned implements Objective<PreferencePair> {
        final DpoObjective inner;
        final int poisonAt;
        int calls;

        Poisoned(DpoObjective inner, int poisonAt) {
            this.inner = inner;
            this.poisonAt = poisonAt;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<long[]> tokens(PreferencePair example) {
            return inner.tokens(example);
        }

        @Override
        public PackedBatch layout(List<PreferencePair> examples) {
            return inner.layout(examples);
        }

        @Override
        public void prepare(List<PreferencePair> train, List<PreferencePair> eval) {
            inner.prepare(train, eval);
        }

        @Override
        public void beforePass(List<PreferencePair> examples, int[] indices, boolean evaluation, PackedBatch batch) {
            inner.beforePass(examples, indices, evaluation, batch);
        }

        @Override
        public StepLoss loss(List<PreferencePair> examples, int[] indices, boolean evaluation, PackedBatch batch,
                             SegmentLogps.Pass pass, NDManager manager) {
            StepLoss loss = inner.loss(examples, indices, evaluation, batch, pass, manager);
            if (evaluation || ++calls != poisonAt) {
                return loss;
            }
            NDArray logps = pass.logps();
            NDArray nanGradient = Casts.to(logps.sub(logps).abs().sqrt().sum(), loss.loss().getDataType());
            return new StepLoss(loss.loss().add(nanGradient), loss.value(), loss.metrics());
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
