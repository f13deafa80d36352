package dev.dpo4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.eval.EvalFiles;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.PairedDifference;
import dev.dpo4j.eval.report.PairwiseResult;
import dev.dpo4j.examples.cli.Dpo4jCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j quickstart --small} end to end: every stage runs, the report has both models judged on
 * every held-out article, the paired difference is the difference of the means, DPO measurably
 * improves the held-out QA score (the 95 % interval of the paired difference is above zero, the pairwise
 * judge's adjusted win rate's above 0.5) by all but ending the vague summaries, report.html is written,
 * and a rerun in the same folder asks neither the base model nor the judge anything and gives the same
 * report.
 */
class QuickstartTest {

    @Test
    void smallRunCompletesEveryStageAndARerunResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        QuickstartConfig config = QuickstartConfig.small(out);
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Dpo4jCli.run(new PrintWriter(stdout, true), new PrintWriter(stderr, true),
                "quickstart", "--small", "--output", out.toString());
        assertEquals(0, code, stderr.toString());
        String printed = stdout.toString();
        assertTrue(printed.contains(Quickstart.BASE) && printed.contains(Quickstart.TUNED), printed);
        assertTrue(printed.contains("paired QA difference") && printed.contains("report: "), printed);
        assertTrue(printed.contains(">= " + config.goodScore() + "/5"), printed);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        QuickstartResult rerun = Quickstart.run(config, new PrintStream(again, true, StandardCharsets.UTF_8));
        String second = again.toString(StandardCharsets.UTF_8);
        assertTrue(second.contains("trained by an earlier run"), second);
        assertEquals(0, rerun.pairs().requestsSent(), "the rerun asked the base model or the judge again");

        ContenderResult base = rerun.contender(Quickstart.BASE);
        ContenderResult tuned = rerun.contender(Quickstart.TUNED);
        assertEquals(config.evalArticles(), base.outputs());
        assertEquals(config.evalArticles(), tuned.outputs());
        assertEquals(config.evalArticles(), base.qa().judged());
        assertEquals(config.evalArticles(), tuned.qa().judged());
        assertTrue(rerun.dpoPairs() > 0, "no pairs");
        assertEquals(config.pairArticles(), rerun.pairs().articlesIn());

        PairedDifference gain = rerun.qaGain();
        assertEquals(config.evalArticles(), gain.meanDifference().n());
        // mean over articles of (tuned − base) equals mean(tuned) − mean(base), which the report computes apart
        assertEquals(tuned.qa().meanScore().value() - base.qa().meanScore().value(), gain.meanDifference().value(), 1e-9);
        assertEquals(config.evalArticles(), gain.aBetter() + gain.bBetter() + gain.equal());

        // The bar on the configuration this test runs, criteria that hold whatever base a CPU's rounding
        // lands on. Measured over --small seeds 1-10 (docs/quickstart.md, 2026-12-05): the paired difference's
        // 95 % lower bound was +0.340 to +0.580, the adjusted win rate's 0.560 to 0.610, base vague summaries
        // 40-58 of 150 and tuned 0-5. Each assertion below has that much room.
        assertTrue(gain.meanDifference().low() > 0, "paired QA difference tuned - base: " + gain.meanDifference().format(3));
        assertTrue(tuned.qa().meanScore().value() > base.qa().meanScore().value());
        PairwiseResult pairwise = rerun.report().pairwise().stream()
                .filter(p -> p.a().equals(Quickstart.TUNED) && p.b().equals(Quickstart.BASE)).findFirst().orElseThrow();
        assertTrue(pairwise.winRateAdjusted().low() > 0.5, "adjusted win rate tuned vs base: "
                + pairwise.winRateAdjusted().format(3));
        // and by the behaviour the corpus plants: the base learned to end 30 % of its summaries with the
        // vague sentence of the lazy references; DPO on QA-judged pairs makes the tuned model all but stop
        long baseVague = vagueOutputs(out, Quickstart.BASE);
        long tunedVague = vagueOutputs(out, Quickstart.TUNED);
        assertTrue(baseVague > config.evalArticles() / 5, "base vague summaries: " + baseVague);
        assertTrue(tunedVague < baseVague / 4, "vague summaries: base " + baseVague + ", tuned " + tunedVague);

        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("dpo/adapter_model.safetensors")));
        String html = Files.readString(rerun.html());
        assertTrue(html.contains("<svg") && html.contains(Quickstart.TUNED));
        assertTrue(printed.contains(rerun.html().toAbsolutePath().toString()), printed);
        assertTrue(printed.contains("DPO measurably helped"), printed);
        assertTrue(printed.contains("the 95% CI is above 0.5: the judge prefers " + Quickstart.TUNED), printed);
    }

    /** How many of a contender's held-out summaries contain the vague references' sentence. */
    private static long vagueOutputs(Path run, String contender) throws IOException {
        try (JsonlReader generations = JsonlReader.open(new EvalFiles(run.resolve("eval")).generations(contender))) {
            return generations.stream().filter(g -> g.text("text").orElse("").contains(Pools.VAGUE)).count();
        }
    }
}
