package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.DecoderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming from a checkpoint reaches the same final adapter as an uninterrupted run (AdamW state,
 * schedule position, data order and LoRA dropout masks all restored or re-derived), reuses the cached
 * reference log-probs, and leaves one metrics line per step.
 */
class TrainerResumeTest {
    @TempDir
    Path tmp;

    static List<PreferencePair> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PreferencePair(ids(r, 3 + r.nextInt(6)), ids(r, 2 + r.nextInt(5)), ids(r, 2 + r.nextInt(5))));
        }
        return out;
    }

    private static long[] ids(Random r, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 + r.nextInt(250);
        }
        return ids;
    }

    private static TrainConfig config() {
        return TrainConfig.builder().learningRate(5e-3).maxSteps(6).trainBatchSize(2).gradientAccumulationSteps(2)
                .saveSteps(2).loggingSteps(1).warmupSteps(1).lrSchedulerType("cosine")
                .loraConfig(LoraConfig.of(4, 8).withDropout(0.1)).build();
    }

    private TrainResult run(Path out, boolean resume) {
        try (DecoderModel model = DpoStepFixture.base();
             LoraModel lora = LoraModel.create(model, config().loraConfig(), 7)) {
            return new DpoTrainer(lora, config(), out, "llama-tiny", null).train(pairs(20, 1), pairs(4, 2), resume);
        }
    }

    @Test
    void resumedRunEqualsTheUninterruptedOne() throws IOException {
        Path straight = tmp.resolve("straight");
        Path crashed = tmp.resolve("crashed");
        run(straight, false);
        run(crashed, false);
        // Simulate a crash after step 5: the final adapter is gone, the latest checkpoint is step 4, and the
        // metrics log already has a line for step 5.
        Files.delete(crashed.resolve(PeftAdapters.WEIGHTS_FILE));
        Files.delete(crashed.resolve(PeftAdapters.CONFIG_FILE));
        assertTrue(Files.isDirectory(crashed.resolve("checkpoint-4")));
        Path cache;
        try (var list = Files.list(crashed)) {
            cache = list.filter(p -> p.getFileName().toString().startsWith("ref_logps-train")).findFirst().orElseThrow();
        }
        long cachedLines = JsonlWriter.countLines(cache);
        long before = Files.getLastModifiedTime(cache).toMillis();

        TrainResult resumed = run(crashed, true);

        assertEquals(4, resumed.resumedFrom());
        assertEquals(20, cachedLines);
        assertEquals(20, JsonlWriter.countLines(cache), "reference log-probs are reused, not recomputed");
        assertEquals(before, Files.getLastModifiedTime(cache).toMillis());
        Map<String, float[]> a = PeftAdapters.read(straight).weights();
        Map<String, float[]> b = PeftAdapters.read(crashed).weights();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            for (int i = 0; i < a.get(name).length; i++) {
                assertEquals(a.get(name)[i], b.get(name)[i], 1e-6, name + "[" + i + "]");
            }
        }
        List<String> lines = Files.readAllLines(crashed.resolve(Trainer.METRICS_FILE));
        List<String> straightLines = Files.readAllLines(straight.resolve(Trainer.METRICS_FILE));
        assertEquals(straightLines.size(), lines.size(), "one line per logging step and evaluation, no repeats");
        for (int step = 1; step <= 6; step++) {
            String prefix = "{\"step\":" + step + ",\"epoch\"";
            assertEquals(1, lines.stream().filter(l -> l.startsWith(prefix)).count(), "step " + step);
        }
    }

    @Test
    void trainingMovesTheAdapterAndLogsTrlMetrics() throws IOException {
        TrainResult r = run(tmp.resolve("metrics"), false);
        Map<String, Object> first = r.history().get(0);
        for (String key : List.of("step", "epoch", "learning_rate", "grad_norm", "loss", "rewards/chosen",
                "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected",
                "logits/chosen", "logits/rejected", "tokens/s")) {
            assertTrue(first.containsKey(key), key + " missing from " + first.keySet());
        }
        // warmup 1: the first step's learning rate is 0, so the first step cannot change B (which starts at 0)
        assertEquals(0.0, ((Number) first.get("learning_rate")).doubleValue());
        assertEquals(Math.log(2), ((Number) first.get("loss")).doubleValue(), 1e-6, "policy = reference at step 1");
        assertTrue(r.lastEval().containsKey("eval_rewards/accuracies"));
        assertEquals(6, r.steps());
    }
}
