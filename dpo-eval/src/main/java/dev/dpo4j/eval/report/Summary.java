package dev.dpo4j.eval.report;

import dev.dpo4j.eval.stats.Estimate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The plain-text summary sentences that open the Markdown and HTML reports. */
final class Summary {

    private static final double SIGNIFICANCE = 0.05;

    private Summary() {
    }

    /** One sentence per finding: the scope, the best QA and ROUGE-L scores, each pairwise verdict. */
    static List<String> sentences(EvalReport report) {
        List<String> out = new ArrayList<>();
        out.add("Evaluated " + report.contenders().size() + " contender" + plural(report.contenders().size())
                + " on " + report.examples() + " example" + plural(report.examples())
                + "; intervals are 95% percentile-bootstrap confidence intervals.");
        best(report, c -> c.qa() == null ? null : c.qa().meanScore()).ifPresent(c -> out.add(
                "Highest mean QA score: " + c.name() + " with " + Formats.number(c.qa().meanScore().value(), 2)
                        + " of " + c.qa().questions() + " questions answered"
                        + ci(c.qa().meanScore(), 2) + "."));
        best(report, c -> c.rouge() == null ? null : c.rouge().rougeL()).ifPresent(c -> out.add(
                "Highest ROUGE-L F1: " + c.name() + " with " + Formats.number(c.rouge().rougeL().value(), 3)
                        + ci(c.rouge().rougeL(), 3) + "."));
        for (PairwiseResult p : report.pairwise()) {
            String verdict = p.signTestP() < SIGNIFICANCE
                    ? (p.wins() > p.losses() ? "beats" : "loses to")
                    : "is not distinguishable from";
            out.add(p.a() + " " + verdict + " " + p.b() + " in pairwise judging: adjusted win rate "
                    + Formats.percent(p.winRateAdjusted()) + " (" + p.wins() + " wins, " + p.losses()
                    + " losses, " + p.ties() + " ties; sign-test p " + pText(p.signTestP()) + ").");
        }
        return out;
    }

    private static Optional<ContenderResult> best(EvalReport report, Function<ContenderResult, Estimate> metric) {
        return report.contenders().stream()
                .filter(c -> metric.apply(c) != null && !Double.isNaN(metric.apply(c).value()))
                .max(Comparator.comparingDouble(c -> metric.apply(c).value()));
    }

    private static String ci(Estimate e, int decimals) {
        return e.hasInterval()
                ? " (95% CI " + Formats.number(e.low(), decimals) + "–" + Formats.number(e.high(), decimals) + ")"
                : "";
    }

    private static String pText(double p) {
        String text = Formats.pValue(p);
        return text.startsWith("<") ? text : "= " + text;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
