package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.DecoderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * One DPO step through the whole trainer on the dpo-step-llama-tiny fixture: with plain SGD at
 * learning rate 1, no clipping and no warmup, the adapter written after one step is
 * {@code ADAPTER − d loss / d ADAPTER}, so it checks the fixture's gradients (1e-4 of each tensor's
 * max) and the fixture's loss value through the logged metrics.
 */
class DpoTrainerFixtureTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"sigmoid, expected_grads.safetensors, 0", "ipo, expected_grads_ipo.safetensors, 0",
        "hinge, expected_grads_hinge.safetensors, 0", "robust, expected_grads_robust.safetensors, 0.1"})
    void oneSgdStepSubtractsTheFixtureGradient(String loss, String gradFile, double labelSmoothing)
            throws IOException {
        Map<String, float[]> start = DpoStepFixture.adapterWeights();
        Map<String, float[]> grads = DpoStepFixture.tensors(gradFile);
        for (boolean shared : new boolean[] {false, true}) {
            Path out = tmp.resolve(loss + "-" + shared);
            TrainConfig config = TrainConfig.builder().lossType(loss).beta(0.1).labelSmoothing(labelSmoothing)
                    .optimizer("sgd").learningRate(1.0).maxSteps(1).trainBatchSize(3).maxGradNorm(0)
                    .warmupSteps(0).sharePrompt(shared).loggingSteps(1).build();
            TrainResult result;
            try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
                result = new DpoTrainer(lora, config, out, "llama-tiny", null)
                        .train(DpoStepFixture.pairs(), List.of(), false);
            }
            double expectedLoss = DpoStepFixture.expected().get("loss").get(loss).asDouble();
            assertEquals(expectedLoss, ((Number) result.history().get(0).get("loss")).doubleValue(), 1e-4, loss);
            Map<String, float[]> after = PeftAdapters.read(out).weights();
            for (String name : start.keySet()) {
                float[] expected = new float[start.get(name).length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = start.get(name)[i] - grads.get(name)[i];
                }
                float[] delta = new float[expected.length];
                float[] expectedDelta = new float[expected.length];
                for (int i = 0; i < expected.length; i++) {
                    delta[i] = start.get(name)[i] - after.get(name)[i];
                    expectedDelta[i] = grads.get(name)[i];
                }
                SegmentLogpsTest.assertClose(expectedDelta, delta, 1e-4, loss + " shared=" + shared + " " + name);
            }
        }
    }

    @Test
    void checkpointedPackedOnTheFlyStepEqualsTheFixture() throws IOException {
        Map<String, float[]> start = DpoStepFixture.adapterWeights();
        Map<String, float[]> grads = DpoStepFixture.tensors("expected_grads.safetensors");
        Path out = tmp.resolve("checkpointed");
        TrainConfig config = TrainConfig.builder().optimizer("sgd").learningRate(1.0).maxSteps(1).trainBatchSize(3)
                .maxGradNorm(0).gradientCheckpointing(true).packing(true).maxLength(64).maxPromptLength(32)
                .precomputeRefLogProbs(false).build();
        try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
            new DpoTrainer(lora, config, out, "llama-tiny", null).train(DpoStepFixture.pairs(), List.of(), false);
        }
        Map<String, float[]> after = PeftAdapters.read(out).weights();
        for (String name : start.keySet()) {
            float[] delta = new float[start.get(name).length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = start.get(name)[i] - after.get(name)[i];
            }
            SegmentLogpsTest.assertClose(grads.get(name), delta, 1e-4, name);
        }
    }

    @Test
    void initialAdapterReferenceStartsAtLogTwo() {
        // reference = the starting adapter: policy = reference before the first update, so every
        // log-ratio is 0 and the sigmoid loss is -log σ(0) = log 2, precomputed or on the fly.
        for (boolean precompute : new boolean[] {true, false}) {
            TrainConfig config = TrainConfig.builder().reference("initial").precomputeRefLogProbs(precompute)
                    .maxSteps(1).trainBatchSize(3).loggingSteps(1).build();
            try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
                TrainResult r = new DpoTrainer(lora, config, tmp.resolve("initial-" + precompute), "llama-tiny", null)
                        .train(DpoStepFixture.pairs(), List.of(), false);
                assertEquals(Math.log(2), ((Number) r.history().get(0).get("loss")).doubleValue(), 1e-6);
                assertEquals(0.0, ((Number) r.history().get(0).get("rewards/margins")).doubleValue(), 1e-6);
            }
        }
    }

    @Test
    void aNanLossStopsNamingTheStepAndWritesNoAdapter() {
        Path out = tmp.resolve("nan");
        TrainConfig config = TrainConfig.builder().optimizer("sgd").learningRate(1.0).maxSteps(2).trainBatchSize(3)
                .build();
        try (DecoderModel model = DpoStepFixture.base(); LoraModel lora = DpoStepFixture.adapter(model)) {
            lora.parameters().values().iterator().next().muli(Float.NaN);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new DpoTrainer(lora, config, out, "llama-tiny", null)
                            .train(DpoStepFixture.pairs(), List.of(), false));
            assertTrue(e.getMessage().startsWith("step 1, micro-batch 1"), e.getMessage());
        }
        assertFalse(Files.exists(out.resolve(PeftAdapters.WEIGHTS_FILE)), "no adapter may be written");
    }
}
