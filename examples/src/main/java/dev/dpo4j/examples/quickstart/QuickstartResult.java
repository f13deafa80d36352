package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.SynthReport;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.report.PairedDifference;
import java.nio.file.Path;

/**
 * What {@code dpo4j quickstart} produced.
 *
 * @param outputDir the run directory
 * @param report the evaluation of base vs tuned on the held-out articles
 * @param pairs the data pipeline's counts
 * @param seconds wall time
 */
public record QuickstartResult(Path outputDir, EvalReport report, SynthReport pairs, double seconds) {

    /**
     * A contender's result.
     *
     * @param name {@link Quickstart#BASE} or {@link Quickstart#TUNED}
     * @return its row of the report
     */
    public ContenderResult contender(String name) {
        return report.contenders().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no contender " + name + " in the report"));
    }

    /**
     * The paired difference tuned − base of the held-out QA score.
     *
     * @return the difference with its 95 % interval
     */
    public PairedDifference qaGain() {
        return report.differences().stream()
                .filter(d -> d.a().equals(Quickstart.TUNED) && d.b().equals(Quickstart.BASE)
                        && d.metric().equals("qa_score"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the report has no qa_score difference "
                        + Quickstart.TUNED + " - " + Quickstart.BASE));
    }

    /**
     * How many preference pairs DPO trained on.
     *
     * @return the pairs in synth/train.jsonl
     */
    public long dpoPairs() {
        return pairs.pairsTrain();
    }

    /**
     * The report page.
     *
     * @return eval/report.html
     */
    public Path html() {
        return outputDir.resolve("eval").resolve(EvalReport.HTML_FILE);
    }
}
