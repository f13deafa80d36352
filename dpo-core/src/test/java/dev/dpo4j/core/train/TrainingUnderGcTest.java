package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.util.ScalarsTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection during training changes nothing: the same DPO run, once quietly and once while
 * another thread keeps collecting and refilling freed direct memory with −777, ends with bit-identical
 * adapters. An engine array whose memory is a Java buffer that the graph outlives (a scalar factor kept
 * for backward, say) would read freed memory in backward; that bug once made every gradient NaN after a
 * collection (CI, stop 11: {@code DpoLearningTest} "step 40: the gradient of … holds NaN or Inf"), and
 * silently wrong when the freed memory held a finite number.
 */
class TrainingUnderGcTest {
    private static final int STEPS = 40;

    @TempDir
    Path tmp;

    @Test
    void garbageCollectionDuringTrainingLeavesTheAdapterBitForBitTheSame() throws InterruptedException {
        Map<String, float[]> quiet = train(tmp.resolve("quiet"));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            while (running.get()) {
                ScalarsTest.churnDirectMemory();
            }
        }, "gc-churn");
        churn.setDaemon(true);
        churn.start();
        Map<String, float[]> churned;
        try {
            churned = train(tmp.resolve("churned"));
        } finally {
            running.set(false);
            churn.join();
        }
        assertEquals(quiet.keySet(), churned.keySet());
        for (Map.Entry<String, float[]> e : quiet.entrySet()) {
            assertArrayEquals(e.getValue(), churned.get(e.getKey()), e.getKey());
        }
    }

    private static Map<String, float[]> train(Path runDir) {
        TrainConfig config = TrainConfig.builder().lossType("sigmoid").learningRate(5e-3).maxSteps(STEPS)
                .trainBatchSize(4).loggingSteps(10).loraConfig(LoraConfig.of(4, 8)).seed(3).build();
        try (DecoderModel model = DpoStepFixture.base();
             LoraModel lora = LoraModel.create(model, config.loraConfig(), 7)) {
            TrainResult result = new DpoTrainer(lora, config, runDir, "llama-tiny", null)
                    .train(TrainerResumeTest.pairs(24, 1), TrainerResumeTest.pairs(4, 2), false);
            assertEquals(STEPS, result.steps());
            return lora.snapshot();
        }
    }
}
