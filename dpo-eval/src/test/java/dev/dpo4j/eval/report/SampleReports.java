package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.eval.stats.Distribution;
import dev.dpo4j.eval.stats.Estimate;
import java.util.List;

/** A small, fully specified report for the report tests; numbers are chosen to be easy to check. */
final class SampleReports {

    /** A contender name that must be HTML-escaped. */
    static final String NASTY = "<b>&\"";

    private SampleReports() {
    }

    static EvalReport sample() {
        // base: 20 outputs with QA scores 0..5 counted [2, 3, 5, 5, 4, 1]; 10 of 20 are ≥ 3.
        QaResult baseQa = new QaResult(new Estimate(2.4, 2.1, 2.7, 20), 5,
                new Distribution(new long[] {2, 3, 5, 5, 4, 1}), 3, new Estimate(0.5, 0.3, 0.7, 20), 20, 0);
        // dpo: counts [0, 1, 3, 6, 5, 5]; 16 of 20 are ≥ 3.
        QaResult dpoQa = new QaResult(new Estimate(3.45, 3.1, 3.8, 20), 5,
                new Distribution(new long[] {0, 1, 3, 6, 5, 5}), 3, new Estimate(0.8, 0.6, 0.95, 20), 20, 0);
        RougeResult baseRouge = new RougeResult(new Estimate(0.4123, 0.4, 0.425, 20),
                new Estimate(0.15, 0.14, 0.16, 20), new Estimate(0.3, 0.29, 0.31, 20));
        LengthResult baseLength = new LengthResult(new Estimate(120.5, 110.25, 131.0, 20), 118, 40, 210, 0);
        LengthResult dpoLength = new LengthResult(new Estimate(98.0, 90.0, 106.0, 20), 97.5, 51, 160, 1);
        // The third contender has only one output (interval NaN), and no QA or ROUGE results.
        LengthResult oneLength = new LengthResult(new Estimate(7, Double.NaN, Double.NaN, 1), 7, 7, 7, 0);
        List<ContenderResult> contenders = List.of(
                new ContenderResult("base", "Qwen/Qwen2.5-0.5B-Instruct", 20, 0, baseQa, baseRouge, baseLength),
                new ContenderResult("dpo", "runs/dpo/final", 20, 0, dpoQa, null, dpoLength),
                new ContenderResult(NASTY, "http://judge.example/v1 | x", 1, 19, null, null, oneLength));
        List<PairwiseResult> pairwise = List.of(
                new PairwiseResult("dpo", "base", 100, 60, 30, 10, 4, new Estimate(0.65, 0.58, 0.72, 100), 0.0021),
                new PairwiseResult(NASTY, "base", 20, 2, 15, 3, 0, new Estimate(0.175, 0.05, 0.325, 20), 0.0023));
        List<PairedDifference> differences = List.of(
                new PairedDifference("dpo", "base", "qa_score", new Estimate(1.05, 0.7, 1.4, 20), 14, 2, 4, 0.0004),
                new PairedDifference("dpo", "base", "rouge_l", new Estimate(-0.01, -0.03, 0.01, 20), 9, 10, 1, 0.4));
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.put("judge", "gpt-4o-mini");
        settings.put("judge_base_url", "https://api.example.com/v1");
        settings.put("seed", 42);
        return new EvalReport("Summaries: DPO vs base", 20, contenders, pairwise, differences, settings);
    }
}
