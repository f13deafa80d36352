package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WorkflowConfig} and {@link WorkflowArgs}: the shipped configs load and plan stages whose every key
 * is one their command reads; mistakes fail before anything runs, in one line naming the file (or the
 * command line) and the key; overrides land where they say.
 */
class WorkflowConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private Path yaml(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void assertPlanKeysAccepted(List<Stage> stages) {
        for (Stage s : stages) {
            Set<String> accepted = CommandKeys.of(s.command()).orElseThrow();
            for (Iterator<String> it = s.keys().fieldNames(); it.hasNext(); ) {
                String key = it.next();
                assertTrue(accepted.contains(key), s.name() + "." + key + " is not a key of dpo4j " + s.command());
            }
            assertTrue(s.keys().has("output"), s.name() + " writes to its own folder");
        }
    }

    private static List<String> names(List<Stage> stages) {
        return stages.stream().map(Stage::name).toList();
    }

    @Test
    void shippedConfigsLoadAndPlanStagesOfValidKeys() {
        record Shipped(String file, WorkflowSpec spec, Function<WorkflowConfig, List<Stage>> plan, List<String> stages) {
        }
        List<Shipped> shipped = List.of(
                new Shipped("summarization-dpo.yaml", SummarizationDpo.SPEC, SummarizationDpo::plan,
                        List.of("data", "train", "evaluate")),
                new Shipped("stack-exchange-dpo.yaml", StackExchangeDpo.SPEC, StackExchangeDpo::plan, List.of("data", "train")),
                new Shipped("ultrafeedback-dpo.yaml", UltraFeedbackDpo.SPEC, UltraFeedbackDpo::plan,
                        List.of("data", "train", "evaluate")),
                new Shipped("sft-then-dpo.yaml", SftThenDpo.SPEC, SftThenDpo::plan, List.of("data", "sft", "train")));
        for (Shipped s : shipped) {
            WorkflowConfig config = WorkflowConfig.read(WorkflowTestData.shippedConfig(s.file()), s.spec());
            List<Stage> stages = s.plan().apply(config);
            assertEquals(s.stages(), names(stages), s.file());
            assertPlanKeysAccepted(stages);
        }
        // The shipped summarization config with three iterations: merges between iterations and at the end.
        WorkflowConfig three = WorkflowConfig.load(WorkflowTestData.shippedConfig("summarization-dpo.yaml"),
                SummarizationDpo.SPEC, List.of(ConfigOverride.top("--iterations 3", "iterations", WorkflowArgs.yaml("3"))));
        List<Stage> stages = SummarizationDpo.plan(three);
        assertEquals(List.of("data-1", "train-1", "merge-1", "data-2", "train-2", "merge-2", "data-3", "train-3", "merge-3",
                "evaluate"), names(stages));
        assertPlanKeysAccepted(stages);
        // The recipe's settings reach the train stage.
        JsonNode train = stages.get(1).keys();
        assertEquals(0.01, train.get("beta").asDouble());
        assertEquals(5e-6, train.get("learning_rate").asDouble());
        assertEquals(3, train.get("num_epochs").asInt());
        assertEquals(4096, train.get("max_length").asInt());
        assertEquals(8, train.get("lora_config").get("r").asInt());
        assertEquals(16, train.get("lora_config").get("lora_alpha").asInt());
        assertEquals(7, train.get("lora_config").get("target_modules").size());
    }

    @Test
    void defaultsComeFromTheFileName() throws IOException {
        Path file = yaml("my-run.yaml", "model_id: org/model\ndata: {input: x.jsonl}\ntrain: {}\n");
        WorkflowConfig c = WorkflowConfig.read(file, StackExchangeDpo.SPEC);
        assertEquals("my-run", c.runName());
        assertEquals(Path.of("runs", "my-run").toAbsolutePath().normalize(), c.outputDir());
        assertEquals("cpu", c.device());
        assertEquals("org/model", c.modelId());
        assertEquals(c.outputDir().resolve("configs"), c.configsDir());
    }

    @Test
    void mistakesFailInOneLineNamingTheFileAndKey() throws IOException {
        Path section = yaml("a.yaml", "model_id: m\ndata: {input: x}\ntrian: {}\n");
        assertMessage(section + ": unknown key 'trian' for stack-exchange-dpo", "did you mean 'train'?",
                () -> WorkflowConfig.read(section, StackExchangeDpo.SPEC));

        Path key = yaml("b.yaml", "model_id: m\ndata: {input: x}\ntrain: {lerning_rate: 0.1}\n");
        assertMessage(key + ": train.lerning_rate: unknown key for 'dpo4j train'", "did you mean 'learning_rate'?",
                () -> WorkflowConfig.read(key, StackExchangeDpo.SPEC));

        Path synth = yaml("c.yaml", "model_id: m\ndata: {input: x, candidatez: 3}\ntrain: {}\nevaluate: {}\n");
        assertMessage(synth + ": data.candidatez: unknown key for 'dpo4j data synth'", "did you mean 'candidates'?",
                () -> WorkflowConfig.read(synth, SummarizationDpo.SPEC));

        Path noModel = yaml("d.yaml", "data: {input: x}\ntrain: {}\n");
        assertMessage(noModel + ": model_id is required", "", () -> WorkflowConfig.read(noModel, StackExchangeDpo.SPEC));

        Path noTrain = yaml("e.yaml", "model_id: m\ndata: {input: x}\n");
        assertMessage(noTrain + ": section 'train' is required", "", () -> WorkflowConfig.read(noTrain, StackExchangeDpo.SPEC));

        Path notMapping = yaml("f.yaml", "model_id: m\ndata: [x]\ntrain: {}\n");
        assertMessage(notMapping + ": section 'data' must be a mapping", "",
                () -> WorkflowConfig.read(notMapping, StackExchangeDpo.SPEC));

        // A key the workflow fills in, under its own name or an alias, is refused when the plan is made.
        Path output = yaml("g.yaml", "model_id: m\ndata: {input: x}\ntrain: {output_dir: somewhere}\n");
        WorkflowConfig c = WorkflowConfig.read(output, StackExchangeDpo.SPEC);
        assertMessage(output + ": train.output_dir is set by the stack-exchange-dpo workflow (as output)", "",
                () -> StackExchangeDpo.plan(c));

        Path iterations = yaml("h.yaml", "model_id: m\niterations: 0\ndata: {input: x}\ntrain: {}\nevaluate: {}\n");
        assertMessage(iterations + ": iterations must be an integer >= 1", "",
                () -> SummarizationDpo.plan(WorkflowConfig.read(iterations, SummarizationDpo.SPEC)));

        Path noLimit = yaml("i.yaml", "model_id: m\niterations: 2\ndata: {input: x}\ntrain: {}\nevaluate: {}\n");
        assertMessage(noLimit + ": data.limit must be > 0 with iterations > 1", "",
                () -> SummarizationDpo.plan(WorkflowConfig.read(noLimit, SummarizationDpo.SPEC)));

        Path sftData = yaml("j.yaml", "model_id: m\nsft: {}\ntrain: {data: p.jsonl}\n");
        assertMessage(sftData + ": sft.data is required", "",
                () -> SftThenDpo.plan(WorkflowConfig.read(sftData, SftThenDpo.SPEC)));
    }

    private static void assertMessage(String start, String contains, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().contains(contains), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void commandLineOverridesLandWhereTheySay() throws IOException {
        Path file = yaml("o.yaml", "model_id: m\ndata: {dataset: org/set, split: train, limit: 10}\n"
                + "sft: {data: s.jsonl, max_steps: 100}\ntrain: {beta: 0.1}\n");
        String[] args = {"--config", file.toString(), "--input", "local.jsonl", "--limit", "3", "--max-steps", "2",
            "--set", "train.loss_type=[sigmoid, sft]", "--set", "train.beta=0.05", "--run-name", "r1",
            "--output-dir", tmp.resolve("out").toString(), "--device=gpu", "--model", "other/model"};
        WorkflowConfig c = WorkflowConfig.load(WorkflowArgs.parse(args, SftThenDpo.SPEC), SftThenDpo.SPEC);
        assertEquals("r1", c.runName());
        assertEquals(tmp.resolve("out").toAbsolutePath().normalize(), c.outputDir());
        assertEquals("gpu", c.device());
        assertEquals("other/model", c.modelId());
        JsonNode data = c.section("data");
        assertEquals("local.jsonl", data.get("input").asText());
        assertFalse(data.has("dataset") || data.has("split"), "--input replaces dataset and split: " + data);
        assertEquals(3, data.get("limit").asInt());
        assertEquals(2, c.section("sft").get("max_steps").asInt(), "--max-steps reaches every training section");
        assertEquals(2, c.section("train").get("max_steps").asInt());
        assertEquals(List.of("sigmoid", "sft"), YAML.convertValue(c.section("train").get("loss_type"), List.class));
        assertEquals(0.05, c.section("train").get("beta").asDouble());

        // --max-steps adds no section the file lacks; --merge-adapters adds an empty merge section.
        Path uf = yaml("uf.yaml", "model_id: m\ndata: {input: x}\ntrain: {}\nevaluate: {}\n");
        WorkflowConfig merged = WorkflowConfig.load(WorkflowArgs.parse(new String[] {"--config", uf.toString(),
            "--merge-adapters"}, UltraFeedbackDpo.SPEC), UltraFeedbackDpo.SPEC);
        assertTrue(merged.has("merge"));
        assertEquals(List.of("data", "train", "merge", "evaluate"), names(UltraFeedbackDpo.plan(merged)));
        assertFalse(WorkflowConfig.read(uf, UltraFeedbackDpo.SPEC).has("merge"));

        Path summ = yaml("s.yaml", "model_id: m\ndata: {input: x, limit: 4}\ntrain: {}\nevaluate: {}\n");
        WorkflowConfig two = WorkflowConfig.load(WorkflowArgs.parse(new String[] {"--config", summ.toString(),
            "--iterations", "2"}, SummarizationDpo.SPEC), SummarizationDpo.SPEC);
        assertEquals(2, two.intOption("iterations", 1));
        assertMessage("command line: iterations must be an integer >= 1", "", () -> SummarizationDpo.plan(
                WorkflowConfig.load(WorkflowArgs.parse(new String[] {"--config", summ.toString(), "--iterations", "0"},
                        SummarizationDpo.SPEC), SummarizationDpo.SPEC)));

        // An override's mistake names the command line, not the file.
        assertMessage("command line: train.bogus: unknown key for 'dpo4j train'", "", () -> WorkflowConfig.load(
                WorkflowArgs.parse(new String[] {"--config", file.toString(), "--set", "train.bogus=1"}, SftThenDpo.SPEC),
                SftThenDpo.SPEC));
        assertMessage("unknown option '--iterations' for stack-exchange-dpo", "",
                () -> WorkflowArgs.parse(new String[] {"--config", file.toString(), "--iterations", "2"}, StackExchangeDpo.SPEC));
        assertMessage("missing --config FILE", "", () -> WorkflowArgs.parse(new String[] {"--limit", "3"}, StackExchangeDpo.SPEC));
        assertMessage("--limit needs a value", "", () -> WorkflowArgs.parse(new String[] {"--limit"}, StackExchangeDpo.SPEC));
        assertTrue(WorkflowArgs.parse(new String[] {"--help"}, StackExchangeDpo.SPEC).help());
    }

    @Test
    void relativeInputPathsThatExistBecomeAbsoluteInTheStageConfig() throws IOException {
        Path relative = WorkflowTestData.shippedConfig("chat.yaml");
        Path input = relative.toAbsolutePath().normalize();
        Path file = yaml("p.yaml", "model_id: m\ndata: {input: [" + relative + ", missing.jsonl]}\ntrain: {}\n");
        Stage data = StackExchangeDpo.plan(WorkflowConfig.read(file, StackExchangeDpo.SPEC)).get(0);
        JsonNode in = data.keys().get("input");
        assertEquals(input.toString(), in.get(0).asText());
        assertEquals("missing.jsonl", in.get(1).asText(), "a path that does not exist is left as written");
    }
}
