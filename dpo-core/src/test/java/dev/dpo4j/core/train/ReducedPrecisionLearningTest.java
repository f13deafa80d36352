package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.model.Precision;
import dev.dpo4j.core.quant.QuantConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DpoLearningTest}'s preference, learnt in reduced precision: float16 with loss scaling, and
 * QLoRA-style on a 4-bit (NF4, double-quantized) or 8-bit base in float16. The same held-out pairs must
 * be ranked correctly by the implicit reward, and the loss must fall below log 2. The reference is the
 * same reduced-precision model with its adapters off, so quantization error does not count against the
 * margins; what is checked is that float16 gradients (scaled, unscaled, skipped on overflow) and a
 * dequantize-per-matmul base train the adapters.
 */
class ReducedPrecisionLearningTest {
    @TempDir
    Path runDir;

    @ParameterizedTest
    @ValueSource(strings = {"float16", "nf4-dq", "int8"})
    void loraDpoLearnsTheHeldOutPreference(String variant) {
        Random random = new Random(7);
        List<PreferencePair> train = DpoLearningTest.pairs(64, random);
        List<PreferencePair> heldOut = DpoLearningTest.pairs(32, random);
        TrainConfig config = TrainConfig.builder().lossType("sigmoid").beta(0.1).optimizer("adamw").learningRate(5e-3)
                .lrSchedulerType("constant").maxSteps(60).trainBatchSize(8).evalBatchSize(16).maxGradNorm(1.0)
                .loggingSteps(60).loraConfig(LoraConfig.of(8, 16)).seed(11).build();
        LoadOptions options = switch (variant) {
            case "float16" -> LoadOptions.of(Precision.FLOAT16);
            case "nf4-dq" -> LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(true));
            case "int8" -> LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.int8());
            default -> throw new IllegalArgumentException(variant);
        };
        try (DecoderModel model = DpoLearningTest.tinyLlama(3, options);
             LoraModel lora = LoraModel.create(model, config.loraConfig(), 5)) {
            TrainResult result = new DpoTrainer(lora, config, runDir, "tiny-random-llama", null)
                    .train(train, heldOut, false);
            Map<String, Object> last = result.history().get(0);
            double accuracy = result.lastEval().get("eval_rewards/accuracies");
            double loss = ((Number) last.get("loss")).doubleValue();
            System.out.printf("ReducedPrecisionLearningTest %s: held-out accuracy %.3f, mean loss %.4f, skipped %s,"
                    + " final loss scale %s%n", variant, accuracy, loss, last.get("skipped_steps"), last.get("loss_scale"));
            assertEquals(60, result.steps());
            assertTrue(accuracy >= 0.9, variant + ": eval_rewards/accuracies " + accuracy);
            assertTrue(loss < Math.log(2), variant + ": mean training loss " + loss + " must be below log 2");
            assertTrue(((Number) last.get("skipped_steps")).longValue() <= 6, variant + ": too many skipped steps");
        }
    }
}
