package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.examples.cli.Dpo4jCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StackExchangeDpo} on six stack-exchange-paired rows and the real stories260K model, from the
 * shipped config with small overrides: prepare turns the rows into "Question: …\n\nAnswer: " pairs and
 * splits off validation rows, DPO trains two steps evaluating after each, and the stage configs written
 * under {@code configs/} rerun alone through the CLI.
 */
class StackExchangeDpoTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    @Test
    void preparesPairsAndTrainsWithEvalSteps() throws Exception {
        Path rows = WorkflowTestData.stackExchange(tmp, 6);
        Path out = tmp.resolve("run");
        String[] args = {"--config", WorkflowTestData.shippedConfig("stack-exchange-dpo.yaml").toString(),
            "--model-id", WorkflowTestData.stories().toString(), "--output-dir", out.toString(),
            "--input", rows.toString(), "--limit", "6", "--max-steps", "2",
            "--set", "data.valid_fraction=0.34", "--set", "data.max_prompt_tokens=64", "--set", "data.max_total_tokens=128",
            "--set", "train.max_length=128", "--set", "train.max_prompt_length=64", "--set", "train.train_batch_size=2",
            "--set", "train.gradient_accumulation_steps=1", "--set", "train.eval_steps=1", "--set", "train.logging_steps=1",
            "--set", "train.warmup_steps=0", "--set", "train.save_steps=0", "--set", "train.gradient_checkpointing=false",
            "--set", "train.learning_rate=0.01"};
        WorkflowConfig config = WorkflowConfig.load(WorkflowArgs.parse(args, StackExchangeDpo.SPEC), StackExchangeDpo.SPEC);
        StringWriter log = new StringWriter();
        StackExchangeDpoResult result = StackExchangeDpo.run(config, WorkflowTestData.log(log));

        assertEquals(List.of("data", "train"), result.workflow().stageNames(), log.toString());
        PrepareStats data = result.data();
        // Six distinct rows, each far below the length limits: all kept; the seeded split (seed 42,
        // fraction 0.34) puts at least one row on each side.
        assertEquals(6, data.rowsRead());
        assertEquals(6, data.kept(), data.dropped().toString());
        assertEquals(data.kept(), data.train() + data.valid());
        assertTrue(data.train() >= 1 && data.valid() >= 1, data.toString());
        assertEquals("stack-exchange-paired", data.formats().values().iterator().next());
        JsonNode pair = new ObjectMapper().readTree(Files.readAllLines(out.resolve("data/train.jsonl")).get(0));
        assertTrue(pair.get("prompt").asText().startsWith("Question: "), pair.toString());
        assertTrue(pair.get("prompt").asText().endsWith("\n\nAnswer: "), pair.toString());

        TrainMetrics training = result.training();
        assertEquals(2, training.steps());
        assertEquals(2, training.trainingLines());
        assertTrue(training.accuracy().isPresent(), "a DPO run logs rewards/accuracies");
        assertTrue(training.lastEval().containsKey("eval_loss"), training.lastEval().toString());
        assertTrue(Files.isRegularFile(result.adapter().resolve(PeftAdapters.WEIGHTS_FILE)));

        // The written train config chains the data stage's files and the run's model.
        JsonNode train = YAML.readTree(out.resolve("configs/train.yaml").toFile());
        assertEquals(out.resolve("data/train.jsonl").toString(), train.get("data").asText());
        assertEquals(out.resolve("data/valid.jsonl").toString(), train.get("eval_data").asText());
        assertEquals(WorkflowTestData.stories().toAbsolutePath().normalize().toString(), train.get("model").asText());
        assertEquals(0.1, train.get("beta").asDouble(), 0.0, "the seed's beta comes from the shipped config");
        assertFalse(result.summary().isBlank());

        // Each stage config is a complete input of its command: rerun the prepare stage alone.
        StringWriter cliOut = new StringWriter();
        StringWriter cliErr = new StringWriter();
        int status = Dpo4jCli.run(new PrintWriter(cliOut), new PrintWriter(cliErr), "data", "prepare", "--config",
                result.workflow().configFile("data").toString());
        assertEquals(0, status, cliErr.toString());
        assertEquals(data.kept(), PrepareStats.read(out.resolve("data")).kept());
    }
}
