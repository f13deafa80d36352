package dev.dpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.SynthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of the builder, the contender names and the items, and the summarization item's prompt. */
class EvaluatorBuilderTest {

    private static final EvalScript SCRIPT = new EvalScript(2);

    @TempDir
    Path dir;

    private Evaluator.Builder two() {
        return Evaluator.builder().setOutputDir(dir).optProgress(null)
                .addContender(new Contender("base", ScriptedModel.contender("base", SCRIPT, new AtomicInteger(-1))))
                .addContender(new Contender("dpo", ScriptedModel.contender("dpo", SCRIPT, new AtomicInteger(-1))));
    }

    private static void fails(String expected, Supplier<?> build) {
        Exception e = assertThrows(RuntimeException.class, build::get);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void invalidSettingsAreNamed() {
        ScriptedModel judge = ScriptedModel.judge(SCRIPT, ScriptedModel.Pairwise.FIRST, new AtomicInteger(-1));
        fails("setOutputDir is required", () -> Evaluator.builder().build());
        fails("at least one contender", () -> Evaluator.builder().setOutputDir(dir).build());
        fails("'base' is given twice", () -> two().addContender(new Contender("base", judge)).build());
        fails("optPairwise needs a judge", () -> two().optPairwise("dpo", "base").build());
        fails("optQa(true) needs a judge", () -> two().optQa(true).build());
        fails("'gpt' is not a contender", () -> two().optJudge(judge).optPairwise("gpt", "base").build());
        fails("compared with itself", () -> two().optJudge(judge).optPairwise("dpo", "dpo").build());
        fails("given twice", () -> two().optJudge(judge).optPairwise("dpo", "base").optPairwise("base", "dpo").build());
        fails("optConcurrency must be >= 1", () -> two().optConcurrency(0).build());
        fails("maxTokens must be >= 1", () -> two().optGeneration(0.0, 0).build());
        fails("temperature must be >= 0", () -> two().optGeneration(-1, 10).build());
        fails("does not exist", () -> two().optTrainingCurve("dpo", dir.resolve("missing.jsonl")).build());
        fails("must match [A-Za-z0-9._-]+", () -> new Contender("a/b", judge));
        fails("must match [A-Za-z0-9._-]+", () -> new Contender("..", judge));
    }

    @Test
    void invalidItemsAreNamed() {
        Evaluator evaluator = two().build();
        fails("no items", () -> evaluator.run(List.of()));
        fails("item id 'x' occurs twice", () -> evaluator.run(List.of(EvalItem.instruction("x", "[[a00]]"),
                EvalItem.instruction("x", "[[a01]]"))));
        fails("optRouge(true) but no item has a reference",
                () -> two().optRouge(true).build().run(List.of(EvalItem.instruction("x", "[[a00]]"))));
        ScriptedModel judge = ScriptedModel.judge(SCRIPT, ScriptedModel.Pairwise.FIRST, new AtomicInteger(-1));
        fails("optQa(true) but no item has an article",
                () -> two().optJudge(judge).optQa(true).build().run(List.of(EvalItem.instruction("x", "[[a00]]"))));
        fails("EvalItem.prompt must not be blank", () -> EvalItem.instruction("x", " "));
    }

    @Test
    void trainingCurvesReachTheHtmlAndABadMetricsFileFailsBeforeAnyRequest() throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Files.writeString(metrics, "{\"step\": 1, \"loss\": 0.69}\n{\"step\": 2, \"loss\": 0.61}\n");
        ScriptedModel base = ScriptedModel.contender("base", SCRIPT, new AtomicInteger(-1));
        Path out = dir.resolve("out");
        Evaluator.builder().setOutputDir(out).optProgress(null).addContender(new Contender("base", base))
                .optTrainingCurve("run-zeta", metrics).optTitle("Zeta eval").build()
                .run(List.of(EvalItem.instruction("x", "[[a00]]")));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("run-zeta") && html.contains("Zeta eval"), "curve legend and title in the HTML");

        Files.writeString(metrics, "{\"step\": 1, \"loss\": 0.69}\nnot json\n");
        ScriptedModel fresh = ScriptedModel.contender("base", SCRIPT, new AtomicInteger(-1));
        Evaluator bad = Evaluator.builder().setOutputDir(dir.resolve("out2")).optProgress(null)
                .addContender(new Contender("base", fresh)).optTrainingCurve("run-zeta", metrics).build();
        fails("metrics.jsonl:2", () -> bad.run(List.of(EvalItem.instruction("x", "[[a00]]"))));
        assertEquals(0, fresh.total());
    }

    @Test
    void summarizationItemAsksWhatTheDataPipelineAsks() {
        // summarize.txt holds {{article}} once; the prompt is the template with the article in its place.
        SynthConfig config = SynthConfig.defaults();
        Article article = new Article("a7", "The mayor opened the bridge {{n}}.", "Bridge opened.");
        EvalItem item = EvalItem.summarization(article, config);
        String template = config.prompts().summarize();
        assertEquals(template.replace("{{article}}", article.text()), item.prompt());
        assertEquals("a7", item.id());
        assertEquals("Bridge opened.", item.reference());
        assertEquals(article, item.article());
    }
}
