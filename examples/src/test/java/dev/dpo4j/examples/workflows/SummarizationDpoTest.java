package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.examples.loopback.FaultPlan;
import dev.dpo4j.examples.loopback.LoopbackChatServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SummarizationDpo} end to end on the real stories260K model with a loopback judge and baseline:
 * the shipped config (its Hub dataset replaced by a local file with {@code --input}), synthetic pairs,
 * one DPO step, evaluation of base, tuned and the baseline endpoint; a rerun asks the judge nothing
 * again; and two iterations of iterative DPO with merges and a fresh slice of articles.
 */
class SummarizationDpoTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The shipped config made small: 3 articles, 3 candidates of 16 tokens, 1 step, 2 articles evaluated. */
    private List<String> args(LoopbackChatServer server, Path articles, Path out) {
        return new ArrayList<>(List.of("--config", WorkflowTestData.shippedConfig("summarization-dpo.yaml").toString(),
                "--model-id", WorkflowTestData.stories().toString(), "--output-dir", out.toString(),
                "--input", articles.toString(), "--limit", "3", "--max-steps", "1",
                "--set", "data.judge_url=" + server.baseUrl(), "--set", "data.judge_model=loopback-judge",
                "--set", "data.api_key_env=DPO4J_TEST_UNSET_KEY", "--set", "data.judge_concurrency=4",
                "--set", "data.cache_dir=" + tmp.resolve("judge-cache"), "--set", "data.candidates=3",
                "--set", "data.threshold=1", "--set", "data.max_tokens=16", "--set", "data.valid_fraction=0",
                "--set", "train.max_length=256", "--set", "train.max_prompt_length=224",
                "--set", "train.train_batch_size=2", "--set", "train.gradient_accumulation_steps=1",
                "--set", "train.gradient_checkpointing=false", "--set", "train.eval_steps=0",
                "--set", "train.save_steps=0", "--set", "train.logging_steps=1", "--set", "train.warmup_ratio=0",
                "--set", "train.learning_rate=0.01",
                "--set", "evaluate.limit=2", "--set", "evaluate.max_new_tokens=16",
                "--set", "evaluate.endpoint=baseline=loopback-base@" + server.baseUrl()));
    }

    private static SummarizationDpoResult run(List<String> args, StringWriter log) throws Exception {
        WorkflowConfig config = WorkflowConfig.load(WorkflowArgs.parse(args.toArray(String[]::new), SummarizationDpo.SPEC),
                SummarizationDpo.SPEC);
        return SummarizationDpo.run(config, WorkflowTestData.log(log));
    }

    @Test
    void synthTrainEvaluateAndARerunAsksTheJudgeNothing() throws Exception {
        Path articles = WorkflowTestData.articles(tmp, 3);
        Path out = tmp.resolve("run");
        try (LoopbackChatServer server = new LoopbackChatServer(0, FaultPlan.uniform(0, 0), 7, 8)) {
            List<String> args = args(server, articles, out);
            StringWriter log = new StringWriter();
            SummarizationDpoResult result = run(args, log);

            assertEquals(List.of("data", "train", "evaluate"), result.workflow().stageNames(), log.toString());
            assertEquals(1, result.iterations().size());
            DpoIteration it = result.last();
            assertEquals(3, it.data().articlesIn());
            assertEquals(it.data().pairsTrain(), Files.readAllLines(out.resolve("data/train.jsonl")).size());
            assertTrue(it.data().pairsTrain() > 0, "random verdicts with threshold 1 give pairs: " + it.data());
            assertEquals(1, it.training().steps());
            assertEquals(out.resolve("train"), result.tuned());

            // Contenders: the base model, the adapter, and the section's endpoint, each on 2 articles,
            // scored with the data section's 5 questions.
            List<String> names = result.evaluation().contenders().stream().map(ContenderResult::name).toList();
            assertEquals(List.of("base", "tuned", "baseline"), names);
            for (ContenderResult c : result.evaluation().contenders()) {
                assertEquals(2, c.outputs() + c.failed(), c.name());
                assertEquals(5, c.qa().questions(), c.name());
            }

            JsonNode evaluate = YAML.readTree(out.resolve("configs/evaluate.yaml").toFile());
            assertEquals("tuned=" + out.resolve("train"), evaluate.get("adapter").get(0).asText());
            assertEquals(server.baseUrl(), evaluate.get("judge_url").asText(), "the judge comes from the data section");
            assertEquals(articles.toString(), evaluate.get("input").asText(), "rows come from the data section");
            assertEquals("test", evaluate.get("split").asText());
            JsonNode synth = YAML.readTree(out.resolve("configs/data.yaml").toFile());
            assertEquals(WorkflowTestData.stories().toAbsolutePath().normalize().toString(),
                    synth.get("writer_model").asText());
            assertTrue(!synth.has("dataset") && !synth.has("split"), "--input replaces the Hub dataset: " + synth);
            assertTrue(Files.isRegularFile(result.reportDir().resolve("report.html")));

            // Rerun: data synth and evaluate resume from their journals, so the judge gets no request.
            long received = server.requestsReceived();
            SummarizationDpoResult again = run(args, new StringWriter());
            assertEquals(received, server.requestsReceived(), "a rerun must not ask the judge again");
            assertEquals(it.data().pairsTrain(), again.last().data().pairsTrain());
        }
    }

    @Test
    void twoIterationsMergeAndSampleAFreshSlice() throws Exception {
        Path articles = WorkflowTestData.articles(tmp, 6);
        Path out = tmp.resolve("run");
        try (LoopbackChatServer server = new LoopbackChatServer(0, FaultPlan.uniform(0, 0), 11, 8)) {
            List<String> args = args(server, articles, out);
            args.addAll(List.of("--iterations", "2"));
            StringWriter log = new StringWriter();
            SummarizationDpoResult result = run(args, log);

            assertEquals(List.of("data-1", "train-1", "merge-1", "data-2", "train-2", "merge-2", "evaluate"),
                    result.workflow().stageNames(), log.toString());
            assertEquals(2, result.iterations().size());
            DpoIteration second = result.iterations().get(1);
            assertEquals(out.resolve("merge-1").toString(), second.model());
            for (DpoIteration it : result.iterations()) {
                assertEquals(3, it.data().articlesIn());
                assertEquals(1, it.training().steps());
                assertTrue(Files.isRegularFile(it.merged().resolve("config.json")), it.merged().toString());
                assertTrue(Files.isRegularFile(it.merged().resolve("model.safetensors")), it.merged().toString());
            }
            assertEquals(out.resolve("merge-2"), result.tuned());

            // Iteration 2 samples rows 3..5 with the merged model and the next seed.
            JsonNode data2 = YAML.readTree(out.resolve("configs/data-2.yaml").toFile());
            assertEquals(out.resolve("merge-1").toString(), data2.get("writer_model").asText());
            assertEquals(43, data2.get("seed").asInt());
            Path slice = Path.of(data2.get("input").get(0).asText());
            List<String> ids = new ArrayList<>();
            for (String line : Files.readAllLines(slice)) {
                ids.add(JSON.readTree(line).get("id").asText());
            }
            assertEquals(List.of("article-3", "article-4", "article-5"), ids);
            JsonNode train2 = YAML.readTree(out.resolve("configs/train-2.yaml").toFile());
            assertEquals(out.resolve("merge-1").toString(), train2.get("model").asText());

            List<String> names = result.evaluation().contenders().stream().map(ContenderResult::name).toList();
            assertEquals(List.of("base", "tuned", "baseline"), names);
            JsonNode evaluate = YAML.readTree(out.resolve("configs/evaluate.yaml").toFile());
            assertEquals("tuned=" + out.resolve("merge-2"), evaluate.get("merged").get(0).asText());
            assertEquals(2, evaluate.get("training_metrics").size());
        }
    }
}
