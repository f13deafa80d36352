package dev.dpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.data.synth.QuestionWriter;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.report.LengthResult;
import dev.dpo4j.eval.report.PairedDifference;
import dev.dpo4j.eval.report.PairwiseResult;
import dev.dpo4j.eval.report.QaResult;
import dev.dpo4j.eval.report.RougeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator over scripted fakes: every expected number is computed here from
 * {@link EvalScript} (what each output lets the judge answer, how long it is), never read back
 * from the evaluator.
 */
class EvaluatorTest {

    private static final double EPS = 1e-12;
    private static final SynthConfig CONFIG = SynthConfig.defaults();

    @TempDir
    Path dir;

    private static Evaluator.Builder builder(Path dir, ScriptedModel judge, EvalScript script, String... contenders) {
        Evaluator.Builder b = Evaluator.builder().setOutputDir(dir).optProgress(null).optConcurrency(3);
        if (judge != null) {
            b.optJudge(judge);
        }
        for (String c : contenders) {
            b.addContender(new Contender(c, ScriptedModel.contender(c, script, new AtomicInteger(-1))));
        }
        return b;
    }

    @Test
    void qaScoresDistributionAndThresholdShareFollowTheScript() throws Exception {
        EvalScript script = new EvalScript(12);
        ScriptedModel judge = ScriptedModel.judge(script, ScriptedModel.Pairwise.LONGER, new AtomicInteger(-1));
        Evaluator evaluator = builder(dir, judge, script, "base", "dpo").build();
        EvalReport report = evaluator.run(script.summarizationItems(CONFIG));

        assertEquals(12, report.examples());
        for (ContenderResult c : report.contenders()) {
            // Score of item i = min(knows(c, i), 5): the fake judge answers the first `knows` keys right.
            int[] counts = new int[6];
            double sum = 0;
            int good = 0;
            for (int i = 0; i < 12; i++) {
                int s = EvalScript.score(c.name(), i);
                counts[s]++;
                sum += s;
                good += s >= 3 ? 1 : 0;
            }
            QaResult qa = c.qa();
            assertEquals("fake/" + c.name(), c.model());
            assertEquals(12, c.outputs());
            assertEquals(0, c.failed());
            assertEquals(sum / 12, qa.meanScore().value(), EPS, c.name());
            assertEquals(12, qa.meanScore().n());
            assertTrue(qa.meanScore().low() <= qa.meanScore().value() && qa.meanScore().value() <= qa.meanScore().high());
            for (int s = 0; s <= 5; s++) {
                assertEquals(counts[s], qa.scores().count(s), c.name() + " score " + s);
            }
            assertEquals(5, qa.questions());
            assertEquals(3, qa.threshold());
            assertEquals(good / 12.0, qa.shareAtThreshold().value(), EPS);
            assertEquals(12, qa.judged());
            assertEquals(0, qa.failed());
        }
        // No pairs given: every contender against the first, a − b = dpo − base, per metric.
        PairedDifference qaDiff = difference(report, "qa_score");
        assertEquals("dpo", qaDiff.a());
        assertEquals("base", qaDiff.b());
        double diff = 0;
        int dpoBetter = 0;
        int baseBetter = 0;
        for (int i = 0; i < 12; i++) {
            int d = EvalScript.score("dpo", i) - EvalScript.score("base", i);
            diff += d;
            dpoBetter += d > 0 ? 1 : 0;
            baseBetter += d < 0 ? 1 : 0;
        }
        assertEquals(diff / 12, qaDiff.meanDifference().value(), EPS);
        assertEquals(dpoBetter, qaDiff.aBetter());
        assertEquals(baseBetter, qaDiff.bBetter());
        assertEquals(12 - dpoBetter - baseBetter, qaDiff.equal());
        assertTrue(qaDiff.pValue() > 0 && qaDiff.pValue() <= 1);
        assertEquals(List.of("qa_score", "rouge_l"), report.differences().stream().map(PairedDifference::metric).toList());

        // The question request of an article is the data pipeline's, so the questions are the same.
        QuestionWriter writer = new QuestionWriter(judge, CONFIG);
        List<ChatRequest> asked = judge.requests.stream()
                .filter(r -> r.responseFormat() != null && r.responseFormat().name().equals("question_set")).toList();
        assertEquals(12, asked.size());
        for (int i = 0; i < 12; i++) {
            assertTrue(asked.contains(writer.request(script.article(i))), "question request of article " + i);
        }
        judge.asked.forEach((k, v) -> assertEquals(1, v.get(), k));
        for (String f : List.of("report.json", "report.md", "report.html", "questions.jsonl", "generations/base.jsonl",
                "qa/dpo.jsonl", "eval.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        // Compared as text: a long read back from JSON is an int node, equal in value.
        assertEquals(report.toJson().toString(), EvalReport.read(dir.resolve("report.json")).toJson().toString());
    }

    @Test
    void everyContenderGetsTheSameGreedySeedPerItem() {
        EvalScript script = new EvalScript(5);
        ScriptedModel base = ScriptedModel.contender("base", script, new AtomicInteger(-1));
        ScriptedModel dpo = ScriptedModel.contender("dpo", script, new AtomicInteger(-1));
        Evaluator.builder().setOutputDir(dir).optProgress(null).addContender(new Contender("base", base))
                .addContender(new Contender("dpo", dpo)).optGeneration(0.0, 64).build()
                .run(script.summarizationItems(CONFIG));
        Map<String, Long> seeds = new HashMap<>();
        for (ScriptedModel m : List.of(base, dpo)) {
            for (ChatRequest r : m.requests) {
                assertEquals(0.0, r.temperature());
                assertEquals(64, r.maxTokens());
                assertNull(r.responseFormat());
                String prompt = r.messages().get(0).content();
                Long earlier = seeds.putIfAbsent(prompt, r.seed());
                assertEquals(earlier == null ? r.seed() : earlier, r.seed(), "same seed for the same item");
            }
        }
        assertEquals(5, seeds.size());
        assertEquals(5, new HashSet<>(seeds.values()).size(), "items get different seeds");
    }

    @Test
    void pairwiseCancelsPositionBias() {
        EvalScript script = new EvalScript(10);
        ScriptedModel judge = ScriptedModel.judge(script, ScriptedModel.Pairwise.FIRST, new AtomicInteger(-1));
        EvalReport report = builder(dir, judge, script, "base", "dpo").optPairwise("dpo", "base").build()
                .run(script.summarizationItems(CONFIG));
        PairwiseResult p = report.pairwise().get(0);
        // A judge that always says "A" prefers dpo in one order and base in the other: every item a tie.
        assertEquals(10, p.n());
        assertEquals(0, p.wins());
        assertEquals(0, p.losses());
        assertEquals(10, p.ties());
        assertEquals(10, p.inconsistent());
        assertEquals(0.5, p.winRateAdjusted().value(), EPS);
        assertEquals(1.0, p.signTestP(), EPS);
        // Both orders were asked for every item.
        for (int i = 0; i < 10; i++) {
            assertEquals(1, judge.count("P|dpo|base|" + EvalScript.id(i)));
            assertEquals(1, judge.count("P|base|dpo|" + EvalScript.id(i)));
        }
    }

    @Test
    void pairwiseCountsOfALengthPreferringJudge() {
        EvalScript script = new EvalScript(16);
        ScriptedModel judge = ScriptedModel.judge(script, ScriptedModel.Pairwise.LONGER, new AtomicInteger(-1));
        EvalReport report = builder(dir, judge, script, "base", "dpo", "other").optPairwise("dpo", "base")
                .optPairwise("other", "dpo").build().run(script.summarizationItems(CONFIG));
        assertEquals(2, report.pairwise().size());
        for (PairwiseResult p : report.pairwise()) {
            // The longer output wins in both orders; equal lengths tie in both.
            int wins = 0;
            int losses = 0;
            for (int i = 0; i < 16; i++) {
                int la = EvalScript.output(p.a(), i).length();
                int lb = EvalScript.output(p.b(), i).length();
                wins += la > lb ? 1 : 0;
                losses += la < lb ? 1 : 0;
            }
            int ties = 16 - wins - losses;
            assertTrue(wins > 0 && losses > 0, "the script gives both outcomes");
            assertEquals(16, p.n());
            assertEquals(wins, p.wins(), p.a() + " vs " + p.b());
            assertEquals(losses, p.losses());
            assertEquals(ties, p.ties());
            assertEquals(0, p.inconsistent());
            assertEquals((wins + 0.5 * ties) / 16, p.winRateAdjusted().value(), EPS);
            assertEquals(signTest(wins, losses), p.signTestP(), 1e-12);
        }
        // Differences follow the pairs: dpo − base and other − dpo.
        assertEquals(List.of("dpo/base/qa_score", "dpo/base/rouge_l", "other/dpo/qa_score", "other/dpo/rouge_l"),
                report.differences().stream().map(d -> d.a() + "/" + d.b() + "/" + d.metric()).toList());
    }

    /** Exact two-sided binomial sign test: min(1, 2·P(X ≤ min(w, l))), X ~ Bin(w + l, ½). */
    private static double signTest(int wins, int losses) {
        int n = wins + losses;
        double tail = 0;
        double c = 1;
        for (int k = 0; k <= Math.min(wins, losses); k++) {
            tail += c;
            c = c * (n - k) / (k + 1);
        }
        return Math.min(1, 2 * tail / Math.pow(2, n));
    }

    @Test
    void rougeAndLengthsAreComputedAgainstTheReferences() {
        // Items 0..3 have the reference "alphaI bravo charlie delta"; items 4 and 5 have none.
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String ref = i < 4 ? "alpha" + i + " bravo charlie delta" : null;
            items.add(new EvalItem(EvalScript.id(i), "Write about [[" + EvalScript.id(i) + "]].", ref, null));
        }
        EvalScript script = new EvalScript(6);
        ScriptedModel echo = ScriptedModel.contender("echo", script, i -> i < 4 ? "alpha" + i + " bravo charlie delta"
                : "x y z");
        ScriptedModel half = ScriptedModel.contender("half", script, i -> i < 4 ? "alpha" + i + " bravo" : "");
        EvalReport report = Evaluator.builder().setOutputDir(dir).optProgress(null)
                .addContender(new Contender("echo", echo)).addContender(new Contender("half", half)).build().run(items);

        RougeResult e = report.contenders().get(0).rouge();
        assertEquals(1.0, e.rouge1().value(), EPS);
        assertEquals(1.0, e.rouge2().value(), EPS);
        assertEquals(1.0, e.rougeL().value(), EPS);
        assertEquals(4, e.rouge1().n(), "only items with a reference");
        // "alphaI bravo" against 4 reference words: ROUGE-1 P = 1, R = 1/2, F1 = 2/3; ROUGE-2 one
        // bigram of 3, P = 1, R = 1/3, F1 = 1/2; ROUGE-L LCS 2, as ROUGE-1.
        RougeResult h = report.contenders().get(1).rouge();
        assertEquals(2.0 / 3, h.rouge1().value(), EPS);
        assertEquals(0.5, h.rouge2().value(), EPS);
        assertEquals(2.0 / 3, h.rougeL().value(), EPS);
        assertNull(report.contenders().get(0).qa(), "no judge, no QA");

        // Words: echo [4, 4, 4, 4, 3, 3], half [2, 2, 2, 2, 0, 0].
        LengthResult le = report.contenders().get(0).length();
        assertEquals(22.0 / 6, le.words().value(), EPS);
        assertEquals(4.0, le.medianWords(), EPS);
        assertEquals(3, le.minWords());
        assertEquals(4, le.maxWords());
        assertEquals(0, le.empty());
        LengthResult lh = report.contenders().get(1).length();
        assertEquals(8.0 / 6, lh.words().value(), EPS);
        assertEquals(2.0, lh.medianWords(), EPS);
        assertEquals(0, lh.minWords());
        assertEquals(2, lh.maxWords());
        assertEquals(2, lh.empty());
        assertEquals(6, report.contenders().get(1).outputs(), "an empty output is an output");

        PairedDifference d = difference(report, "rouge_l");
        assertEquals("half", d.a());
        assertEquals(2.0 / 3 - 1, d.meanDifference().value(), EPS);
        assertEquals(4, d.bBetter());
        assertEquals(4, d.meanDifference().n());
        assertEquals(1, report.differences().size(), "no QA difference without a judge");
    }

    @Test
    void failuresAreCountedAndNeverDropped() throws Exception {
        // flaky's generation fails on a01 and a05; a04's questions fail; dpo's QA of a07 fails;
        // the pairwise judge fails on a09 with dpo shown first.
        Set<String> faults = Set.of("G|flaky|a01", "G|flaky|a05", "Q|a04", "QA|dpo|a07", "P|dpo|flaky|a09");
        EvalScript script = new EvalScript(10, faults);
        ScriptedModel judge = ScriptedModel.judge(script, ScriptedModel.Pairwise.LONGER, new AtomicInteger(-1));
        List<EvalItem> items = script.summarizationItems(CONFIG);
        EvalReport report = builder(dir, judge, script, "dpo", "flaky").optPairwise("dpo", "flaky").build().run(items);

        ContenderResult dpo = report.contenders().get(0);
        ContenderResult flaky = report.contenders().get(1);
        assertEquals(10, dpo.outputs());
        assertEquals(0, dpo.failed());
        assertEquals(8, flaky.outputs());
        assertEquals(2, flaky.failed());
        // dpo: a04 has no questions, a07's judgement failed.
        assertEquals(8, dpo.qa().judged());
        assertEquals(2, dpo.qa().failed());
        // flaky: a01 and a05 have no output (counted above, not here); a04 has no questions.
        assertEquals(7, flaky.qa().judged());
        assertEquals(1, flaky.qa().failed());
        double sum = 0;
        for (int i : new int[] {0, 2, 3, 6, 7, 8, 9}) {
            sum += EvalScript.score("flaky", i);
        }
        assertEquals(sum / 7, flaky.qa().meanScore().value(), EPS);
        PairwiseResult p = report.pairwise().get(0);
        assertEquals(7, p.n(), "10 items less 2 without flaky's output less 1 the judge failed on");
        assertEquals(1, report.settings().get("pairwise_not_judged").get("dpo__vs__flaky").get("judge_failed").asInt());
        assertEquals(2, report.settings().get("pairwise_not_judged").get("dpo__vs__flaky").get("output_missing").asInt());
        assertEquals(1, report.settings().get("question_sets_failed").asInt());
        assertTrue(Files.readString(dir.resolve("generations/flaky.jsonl")).contains("\"failed\""));

        // A rerun asks nothing, failures included: they are journaled.
        ScriptedModel judge2 = ScriptedModel.judge(script, ScriptedModel.Pairwise.LONGER, new AtomicInteger(-1));
        ScriptedModel flaky2 = ScriptedModel.contender("flaky", script, new AtomicInteger(-1));
        ScriptedModel dpo2 = ScriptedModel.contender("dpo", script, new AtomicInteger(-1));
        EvalReport again = Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(judge2)
                .addContender(new Contender("dpo", dpo2)).addContender(new Contender("flaky", flaky2))
                .optPairwise("dpo", "flaky").build().run(items);
        assertEquals(0, judge2.total() + flaky2.total() + dpo2.total());
        assertEquals(report.toJson(), again.toJson());

        // With optRetryFailures exactly the five failed requests are asked again (and fail again).
        EvalReport retried = Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(judge2)
                .addContender(new Contender("dpo", dpo2)).addContender(new Contender("flaky", flaky2))
                .optPairwise("dpo", "flaky").optRetryFailures(true).build().run(items);
        Set<String> asked = new HashSet<>();
        for (ScriptedModel m : List.of(judge2, flaky2, dpo2)) {
            m.asked.forEach((k, v) -> {
                assertEquals(1, v.get(), k);
                asked.add(k);
            });
        }
        assertEquals(faults, asked);
        assertEquals(report.toJson(), retried.toJson());
    }

    private static PairedDifference difference(EvalReport report, String metric) {
        return report.differences().stream().filter(d -> d.metric().equals(metric)).findFirst().orElseThrow();
    }
}
