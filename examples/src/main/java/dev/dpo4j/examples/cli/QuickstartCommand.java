package dev.dpo4j.examples.cli;

import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.PairedDifference;
import dev.dpo4j.eval.report.PairwiseResult;
import dev.dpo4j.eval.report.QaResult;
import dev.dpo4j.eval.stats.Estimate;
import dev.dpo4j.examples.quickstart.Quickstart;
import dev.dpo4j.examples.quickstart.QuickstartConfig;
import dev.dpo4j.examples.quickstart.QuickstartResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpo4j quickstart}: the whole pipeline offline on a model it trains itself (see
 * {@link Quickstart}), ending with a table of base vs tuned and report.html.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline offline: a synthetic news corpus, a tiny Llama trained from scratch to "
                + "summarise it, candidates judged by an embedded QA judge, DPO with LoRA, and an evaluation of base vs "
                + "tuned on held-out articles (report.html).",
            "About 7 minutes on 2 CPU cores; a rerun resumes where the last one stopped."})
final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "runs/quickstart", paramLabel = "DIR",
            description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--small",
            description = "The smaller run the tests make (the same base model, half the pair and held-out articles).")
    boolean small;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the corpus, weights, sampling and data order (default 42).")
    Long seed;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws IOException {
        config.checkKeys(spec);
        OutputFolder.require(output);
        QuickstartConfig settings = small ? QuickstartConfig.small(output) : QuickstartConfig.defaults(output);
        if (seed != null) {
            settings = settings.withSeed(seed);
        }
        QuickstartResult result = Quickstart.run(settings, System.err);
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.println(table(result));
        out.println("report: " + result.html().toAbsolutePath());
        out.flush();
        return 0;
    }

    /** The short summary printed at the end: QA scores, the paired gain, pairwise wins. */
    static String table(QuickstartResult result) {
        StringBuilder sb = new StringBuilder();
        QaResult qa = result.contender(Quickstart.BASE).qa();
        sb.append(String.format("%-10s %-24s %-8s %-8s%n", "model", "QA score /" + qa.questions() + " [95% CI]",
                ">= " + qa.threshold() + "/" + qa.questions(), "ROUGE-L"));
        for (String name : new String[] {Quickstart.BASE, Quickstart.TUNED}) {
            ContenderResult c = result.contender(name);
            sb.append(String.format("%-10s %-24s %-8s %-8s%n", name, c.qa().meanScore().format(2),
                    String.format("%.0f%%", 100 * c.qa().shareAtThreshold().value()),
                    String.format("%.3f", c.rouge().rougeL().value())));
        }
        PairedDifference gain = result.qaGain();
        sb.append(String.format("%nDPO vs base, paired QA difference: %s (%s)%n", gain.meanDifference().format(3),
                verdict(gain.meanDifference(), 0, "zero", "DPO measurably helped",
                        "DPO measurably hurt", "no measurable difference")));
        for (PairwiseResult p : result.report().pairwise()) {
            sb.append(String.format("pairwise %s vs %s: %d wins, %d losses, %d ties, adjusted win rate %s (%s)%n", p.a(),
                    p.b(), p.wins(), p.losses(), p.ties(), p.winRateAdjusted().format(3),
                    verdict(p.winRateAdjusted(), 0.5, "0.5",
                            "the judge prefers " + p.a(), "the judge prefers " + p.b(), "no measurable preference")));
        }
        sb.append(String.format("%d pairs from %d articles; %.0f s in all", result.dpoPairs(),
                result.pairs().articlesIn(), result.seconds()));
        return sb.toString();
    }

    /** What a 95 % interval says against the value of no effect: above it, below it, or neither. */
    private static String verdict(Estimate ci, double none, String noneName, String above, String below,
                                  String neither) {
        return ci.low() > none ? "the 95% CI is above " + noneName + ": " + above
                : ci.high() < none ? "the 95% CI is below " + noneName + ": " + below
                : "the 95% CI includes " + noneName + ": " + neither;
    }
}
