package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.PairwiseResult;
import dev.dpo4j.examples.loopback.FaultPlan;
import dev.dpo4j.examples.loopback.LoopbackChatServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UltraFeedbackDpo} with the seed's command line ({@code --run-name}, {@code --output-dir},
 * {@code --merge-adapters}) on UltraFeedback-binarized rows and a stories260K copy with a Gemma chat
 * template: prepare keeps the message lists, DPO trains on the templated pairs, the adapter is merged, and
 * a loopback judge compares the merged model with the base pairwise.
 */
class UltraFeedbackDpoTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void preparesTrainsMergesAndJudgesPairwise() throws Exception {
        Path model = WorkflowTestData.gemmaStyleModel(tmp);
        Path rows = WorkflowTestData.ultraFeedback(tmp, 4);
        Path out = tmp.resolve("uf-run");
        try (LoopbackChatServer judge = new LoopbackChatServer(0, FaultPlan.uniform(0, 0), 5, 8)) {
            String[] args = {"--config", WorkflowTestData.shippedConfig("ultrafeedback-dpo.yaml").toString(),
                "--run-name", "uf-test", "--output-dir", out.toString(), "--merge-adapters",
                "--model-id", model.toString(), "--input", rows.toString(), "--limit", "4", "--max-steps", "1",
                "--set", "data.max_total_tokens=256", "--set", "data.valid_fraction=0",
                "--set", "train.max_length=192", "--set", "train.max_prompt_length=96", "--set", "train.train_batch_size=2",
                "--set", "train.gradient_accumulation_steps=1", "--set", "train.gradient_checkpointing=false",
                "--set", "train.logging_steps=1", "--set", "train.warmup_ratio=0", "--set", "train.learning_rate=0.01",
                "--set", "evaluate.limit=2", "--set", "evaluate.max_new_tokens=16",
                "--set", "evaluate.judge_url=" + judge.baseUrl(), "--set", "evaluate.judge_model=loopback-judge",
                "--set", "evaluate.api_key_env=DPO4J_TEST_UNSET_KEY", "--set", "evaluate.cache_dir=" + tmp.resolve("cache")};
            WorkflowConfig config = WorkflowConfig.load(WorkflowArgs.parse(args, UltraFeedbackDpo.SPEC), UltraFeedbackDpo.SPEC);
            assertEquals("uf-test", config.runName());
            StringWriter log = new StringWriter();
            UltraFeedbackDpoResult result = UltraFeedbackDpo.run(config, WorkflowTestData.log(log));

            assertEquals(List.of("data", "train", "merge", "evaluate"), result.workflow().stageNames(), log.toString());
            assertEquals("uf-test", result.workflow().runName());
            assertEquals(4, result.data().kept(), result.data().toString());
            assertEquals("ultrafeedback", result.data().formats().values().iterator().next());
            // The pairs stay conversational: the prompt is the user turn, chosen/rejected the assistant turns.
            JsonNode pair = JSON.readTree(Files.readAllLines(out.resolve("data/train.jsonl")).get(0));
            assertEquals("user", pair.get("prompt").get(0).get("role").asText(), pair.toString());
            assertEquals("assistant", pair.get("chosen").get(0).get("role").asText(), pair.toString());
            assertEquals(1, result.training().steps());
            assertEquals(out.resolve("merge"), result.merged());
            assertTrue(Files.isRegularFile(out.resolve("merge/model.safetensors")));
            assertTrue(Files.isRegularFile(out.resolve("merge/tokenizer_config.json")),
                    "the merged folder carries the tokenizer and its chat template");

            List<String> names = result.evaluation().contenders().stream().map(ContenderResult::name).toList();
            assertEquals(List.of("base", "tuned"), names);
            PairwiseResult p = result.pairwise("tuned", "base").orElseThrow(() -> new AssertionError(
                    "no tuned:base judgement in " + result.evaluation().pairwise()));
            // Each of the 2 prompts ends as exactly one win, loss or tie of tuned over base.
            assertEquals(2, p.n());
            assertEquals(p.n(), p.wins() + p.losses() + p.ties());
            double adjusted = (p.wins() + 0.5 * p.ties()) / p.n();
            assertEquals(adjusted, p.winRateAdjusted().value(), 1e-9);

            JsonNode evaluate = YAML.readTree(out.resolve("configs/evaluate.yaml").toFile());
            assertEquals("tuned=" + out.resolve("merge"), evaluate.get("merged").get(0).asText());
            assertEquals("instruction", evaluate.get("task").asText());
            assertEquals("test_prefs", evaluate.get("split").asText());
            assertTrue(result.summary().contains("tuned vs base"), result.summary());
        }
    }
}
