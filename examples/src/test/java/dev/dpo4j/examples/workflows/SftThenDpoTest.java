package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dpo4j.core.lora.PeftAdapters;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SftThenDpo} on a stories260K copy with a Gemma chat template: SFT on conversations, then DPO
 * that continues the SFT adapter with the adapters-off model as reference.
 */
class SftThenDpoTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void dpoContinuesTheSftAdapterAgainstTheAdaptersOffReference() throws Exception {
        Path model = WorkflowTestData.gemmaStyleModel(tmp);
        Path sftRows = WorkflowTestData.sftConversations(tmp, 4);
        Path prefs = WorkflowTestData.ultraFeedback(tmp, 4);
        Path out = tmp.resolve("run");
        String[] args = {"--config", WorkflowTestData.shippedConfig("sft-then-dpo.yaml").toString(),
            "--model-id", model.toString(), "--output-dir", out.toString(), "--input", prefs.toString(),
            "--limit", "4", "--max-steps", "2",
            "--set", "data.max_total_tokens=256", "--set", "data.valid_fraction=0",
            "--set", "sft.data=" + sftRows, "--set", "sft.max_length=128", "--set", "sft.max_prompt_length=64",
            "--set", "sft.packing=false", "--set", "sft.gradient_checkpointing=false", "--set", "sft.logging_steps=1",
            "--set", "sft.warmup_ratio=0", "--set", "sft.learning_rate=0.05", "--set", "sft.train_batch_size=2",
            "--set", "sft.gradient_accumulation_steps=1",
            "--set", "train.max_length=192", "--set", "train.max_prompt_length=96", "--set", "train.train_batch_size=2",
            "--set", "train.gradient_accumulation_steps=1", "--set", "train.gradient_checkpointing=false",
            "--set", "train.logging_steps=1", "--set", "train.warmup_ratio=0", "--set", "train.eval_steps=0"};
        WorkflowConfig config = WorkflowConfig.load(WorkflowArgs.parse(args, SftThenDpo.SPEC), SftThenDpo.SPEC);
        StringWriter log = new StringWriter();
        SftThenDpoResult result = SftThenDpo.run(config, WorkflowTestData.log(log));

        assertEquals(List.of("data", "sft", "train"), result.workflow().stageNames(), log.toString());
        assertEquals(4, result.data().kept());
        assertEquals(2, result.sft().steps());
        assertEquals(2, result.dpo().steps());

        JsonNode train = YAML.readTree(out.resolve("configs/train.yaml").toFile());
        assertEquals(out.resolve("sft").toString(), train.get("adapter").asText());
        assertEquals("dpo", train.get("task").asText());
        assertEquals("base", train.get("reference").asText());
        assertEquals("sft", YAML.readTree(out.resolve("configs/sft.yaml").toFile()).get("task").asText());

        // The DPO adapter is the SFT adapter trained further: same rank and targets (train's lora_config
        // sets only the dropout; the shipped sft section sets r 16).
        JsonNode sftAdapter = JSON.readTree(out.resolve("sft").resolve(PeftAdapters.CONFIG_FILE).toFile());
        JsonNode dpoAdapter = JSON.readTree(out.resolve("train").resolve(PeftAdapters.CONFIG_FILE).toFile());
        assertEquals(16, sftAdapter.get("r").asInt());
        assertEquals(sftAdapter.get("r"), dpoAdapter.get("r"));
        assertEquals(sftAdapter.get("target_modules"), dpoAdapter.get("target_modules"));

        // The first DPO line is logged before its update. A fresh adapter (B = 0) equals the reference, so
        // every reward is 0 and the sigmoid loss is -log σ(0) = ln 2 exactly. Starting from the SFT adapter
        // the policy differs from the adapters-off reference, so the margins are not 0 and the loss is not ln 2.
        JsonNode first = JSON.readTree(Files.readAllLines(out.resolve("train/metrics.jsonl")).get(0));
        assertTrue(Math.abs(first.get("loss").asDouble() - Math.log(2)) > 1e-6, first.toString());
        assertTrue(Math.abs(first.get("rewards/margins").asDouble()) > 0, first.toString());
    }
}
