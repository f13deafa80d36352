package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SFT's completion-only loss: the first step's loss equals −Σ log p(completion) / Σ |completion| over
 * the batch as the independent {@link LogProbScorer} computes it, and training on a fixed completion
 * makes it likelier.
 */
class SftTrainerTest {
    @TempDir
    Path tmp;

    @Test
    void firstLossIsTheTokenMeanNllAndTrainingLowersIt() {
        List<SftExample> examples = new ArrayList<>();
        for (PreferencePair p : TrainerResumeTest.pairs(8, 3)) {
            examples.add(new SftExample(p.promptIds(), new long[] {17, 42, 99, 42}));
        }
        TrainConfig config = TrainConfig.builder().learningRate(2e-2).maxSteps(30).trainBatchSize(8).loggingSteps(1)
                .warmupSteps(0).lrSchedulerType("constant").packing(true).loraConfig(LoraConfig.of(8, 16)).build();
        try (DecoderModel model = DpoStepFixture.base();
             LoraModel lora = LoraModel.create(model, config.loraConfig(), 1)) {
            List<ScoringRequest> requests = examples.stream()
                    .map(e -> new ScoringRequest(e.promptIds(), e.completionIds())).toList();
            double sum = 0;
            int tokens = 0;
            for (CompletionScore s : new LogProbScorer(model).score(requests, 4)) {
                sum += s.logprob();
                tokens += s.tokenLogprobs().length;
            }
            TrainResult r = new SftTrainer(lora, config, tmp, "llama-tiny", null).train(examples, List.of(), false);
            List<Map<String, Object>> h = r.history();
            double first = ((Number) h.get(0).get("loss")).doubleValue();
            double last = ((Number) h.get(h.size() - 1).get("loss")).doubleValue();
            assertEquals(-sum / tokens, first, 1e-4, "B = 0 at the start, so the first loss is the base model's NLL");
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        }
    }
}
