package dev.dpo4j.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Renders an {@link EvalReport} as GitHub-flavoured Markdown: a summary, a contenders table,
 * a pairwise table in the style of MT-Bench's ({@code | model A | model B | win | loss | tie |
 * win_rate_adjusted |}), the paired-differences table and the settings.
 *
 * <p>Estimates are written as {@code value [low, high]} (95% bootstrap interval); shares as
 * percentages; a missing value as an en dash. A {@code |} inside a name is escaped.
 */
public final class MarkdownReport {

    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private MarkdownReport() {
    }

    /**
     * Renders the report.
     *
     * @param report the report
     * @return Markdown text ending in a newline
     */
    public static String render(EvalReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(cell(report.title())).append("\n\n");
        md.append(String.join(" ", Summary.sentences(report))).append("\n\n");
        contenders(md, report);
        pairwise(md, report.pairwise());
        differences(md, report.differences());
        if (!report.settings().isEmpty()) {
            md.append("## Settings\n\n```json\n").append(pretty(report)).append("\n```\n");
        }
        return md.toString();
    }

    private static void contenders(StringBuilder md, EvalReport report) {
        if (report.contenders().isEmpty()) {
            return;
        }
        QaResult anyQa = report.contenders().stream().map(ContenderResult::qa).filter(q -> q != null)
                .findFirst().orElse(null);
        String qaHeader = anyQa == null ? "QA score [95% CI]" : "QA score (mean/" + anyQa.questions() + ") [95% CI]";
        String thresholdHeader = anyQa == null ? "≥ threshold" : "≥ " + anyQa.threshold() + "/" + anyQa.questions();
        md.append("## Contenders\n\n");
        row(md, "model", qaHeader, thresholdHeader, "ROUGE-1", "ROUGE-2", "ROUGE-L", "words", "outputs (failed)");
        row(md, "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:");
        for (ContenderResult c : report.contenders()) {
            QaResult qa = c.qa();
            RougeResult rouge = c.rouge();
            row(md, cell(c.name()),
                    qa == null ? Formats.MISSING : Formats.estimate(qa.meanScore(), 2),
                    qa == null ? Formats.MISSING : Formats.percent(qa.shareAtThreshold()),
                    rouge == null ? Formats.MISSING : Formats.estimate(rouge.rouge1(), 3),
                    rouge == null ? Formats.MISSING : Formats.estimate(rouge.rouge2(), 3),
                    rouge == null ? Formats.MISSING : Formats.estimate(rouge.rougeL(), 3),
                    Formats.estimate(c.length().words(), 1),
                    c.outputs() + " (" + c.failed() + ")");
        }
        md.append('\n');
        boolean namesDiffer = report.contenders().stream().anyMatch(c -> !c.name().equals(c.model()));
        if (namesDiffer) {
            for (ContenderResult c : report.contenders()) {
                md.append("- ").append(cell(c.name())).append(": `").append(c.model().replace("`", "'")).append("`\n");
            }
            md.append('\n');
        }
    }

    private static void pairwise(StringBuilder md, List<PairwiseResult> results) {
        if (results.isEmpty()) {
            return;
        }
        md.append("## Pairwise judging\n\n");
        row(md, "model A", "model B", "win", "loss", "tie", "win_rate_adjusted [95% CI]", "sign-test p");
        row(md, "---", "---", "---:", "---:", "---:", "---:", "---:");
        for (PairwiseResult p : results) {
            String ties = p.inconsistent() > 0 ? p.ties() + " (" + p.inconsistent() + " inconsistent)"
                    : Integer.toString(p.ties());
            row(md, cell(p.a()), cell(p.b()), Integer.toString(p.wins()), Integer.toString(p.losses()), ties,
                    Formats.estimate(p.winRateAdjusted(), 3), Formats.pValue(p.signTestP()));
        }
        md.append("\nEach item is judged in both orders; items where the two orders disagree count as ties.\n\n");
    }

    private static void differences(StringBuilder md, List<PairedDifference> results) {
        if (results.isEmpty()) {
            return;
        }
        md.append("## Paired differences\n\n");
        row(md, "model A", "model B", "metric", "mean A − B [95% CI]", "A better", "B better", "equal",
                "sign-flip p");
        row(md, "---", "---", "---", "---:", "---:", "---:", "---:", "---:");
        for (PairedDifference d : results) {
            row(md, cell(d.a()), cell(d.b()), cell(d.metric()), Formats.signed(d.meanDifference(), 3),
                    Integer.toString(d.aBetter()), Integer.toString(d.bBetter()), Integer.toString(d.equal()),
                    Formats.pValue(d.pValue()));
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    /** Escapes what would break a table cell: pipes and line breaks. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static String pretty(EvalReport report) {
        try {
            return PRETTY.writeValueAsString(report.settings());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
