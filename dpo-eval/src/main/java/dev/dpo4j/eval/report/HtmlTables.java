package dev.dpo4j.eval.report;

import dev.dpo4j.eval.stats.Estimate;
import java.util.List;

/** The HTML tables of the report: contenders, pairwise judging, paired differences. */
final class HtmlTables {

    private static final double SIGNIFICANCE = 0.05;

    private HtmlTables() {
    }

    /** The contenders table, one row per contender with a colour swatch matching the charts. */
    static String contenders(List<ContenderResult> contenders) {
        QaResult anyQa = contenders.stream().map(ContenderResult::qa).filter(q -> q != null).findFirst().orElse(null);
        StringBuilder html = new StringBuilder("<table>\n<thead><tr><th>model</th>");
        html.append(th(anyQa == null ? "QA score" : "QA score (mean/" + anyQa.questions() + ")"))
                .append(th(anyQa == null ? "≥ threshold" : "≥ " + anyQa.threshold() + "/" + anyQa.questions()))
                .append(th("ROUGE-1")).append(th("ROUGE-2")).append(th("ROUGE-L")).append(th("words"))
                .append(th("outputs")).append(th("failed")).append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < contenders.size(); i++) {
            ContenderResult c = contenders.get(i);
            QaResult qa = c.qa();
            RougeResult rouge = c.rouge();
            html.append("<tr><td class=\"name\"><span class=\"swatch\" style=\"background:")
                    .append(Palette.colour(i)).append("\"></span>").append(Html.escape(c.name()))
                    .append("<div class=\"model\">").append(Html.escape(c.model())).append("</div></td>")
                    .append(qa == null ? missing() : estimate(qa.meanScore(), 2))
                    .append(qa == null ? missing() : percent(qa.shareAtThreshold()))
                    .append(rouge == null ? missing() : estimate(rouge.rouge1(), 3))
                    .append(rouge == null ? missing() : estimate(rouge.rouge2(), 3))
                    .append(rouge == null ? missing() : estimate(rouge.rougeL(), 3))
                    .append(estimate(c.length().words(), 1))
                    .append(td(Integer.toString(c.outputs()))).append(td(Integer.toString(c.failed())))
                    .append("</tr>\n");
        }
        return html.append("</tbody>\n</table>\n").toString();
    }

    /** The pairwise table in MT-Bench's layout. */
    static String pairwise(List<PairwiseResult> results) {
        StringBuilder html = new StringBuilder("<table>\n<thead><tr><th>model A</th><th>model B</th>");
        html.append(th("win")).append(th("loss")).append(th("tie")).append(th("inconsistent"))
                .append(th("win rate (adjusted)")).append(th("sign-test p")).append("</tr></thead>\n<tbody>\n");
        for (PairwiseResult p : results) {
            html.append("<tr><td class=\"name\">").append(Html.escape(p.a())).append("</td><td class=\"name\">")
                    .append(Html.escape(p.b())).append("</td>")
                    .append(td(Integer.toString(p.wins()))).append(td(Integer.toString(p.losses())))
                    .append(td(Integer.toString(p.ties()))).append(td(Integer.toString(p.inconsistent())))
                    .append(percent(p.winRateAdjusted())).append(pValue(p.signTestP())).append("</tr>\n");
        }
        return html.append("</tbody>\n</table>\n").toString();
    }

    /** The paired-differences table; significant p-values are in bold. */
    static String differences(List<PairedDifference> results) {
        StringBuilder html = new StringBuilder("<table>\n<thead><tr><th>model A</th><th>model B</th><th>metric</th>");
        html.append(th("mean A − B")).append(th("A better")).append(th("B better")).append(th("equal"))
                .append(th("sign-flip p")).append("</tr></thead>\n<tbody>\n");
        for (PairedDifference d : results) {
            html.append("<tr><td class=\"name\">").append(Html.escape(d.a())).append("</td><td class=\"name\">")
                    .append(Html.escape(d.b())).append("</td><td>").append(Html.escape(d.metric())).append("</td>")
                    .append(signed(d.meanDifference(), 3))
                    .append(td(Integer.toString(d.aBetter()))).append(td(Integer.toString(d.bBetter())))
                    .append(td(Integer.toString(d.equal()))).append(pValue(d.pValue())).append("</tr>\n");
        }
        return html.append("</tbody>\n</table>\n").toString();
    }

    private static String th(String text) {
        return "<th class=\"num\">" + Html.escape(text) + "</th>";
    }

    private static String td(String text) {
        return "<td class=\"num\">" + Html.escape(text) + "</td>";
    }

    private static String missing() {
        return td(Formats.MISSING);
    }

    /** A value with its interval in smaller grey type underneath. */
    private static String estimate(Estimate e, int decimals) {
        if (e == null || Double.isNaN(e.value())) {
            return missing();
        }
        return withInterval(Formats.number(e.value(), decimals), Formats.interval(e, decimals));
    }

    private static String percent(Estimate e) {
        if (e == null || Double.isNaN(e.value())) {
            return missing();
        }
        String interval = e.hasInterval()
                ? "[" + Formats.percent(e.low()) + ", " + Formats.percent(e.high()) + "]"
                : "";
        return withInterval(Formats.percent(e.value()), interval);
    }

    private static String signed(Estimate e, int decimals) {
        if (e == null || Double.isNaN(e.value())) {
            return missing();
        }
        String interval = e.hasInterval()
                ? "[" + Formats.signed(e.low(), decimals) + ", " + Formats.signed(e.high(), decimals) + "]"
                : "";
        return withInterval(Formats.signed(e.value(), decimals), interval);
    }

    private static String withInterval(String value, String interval) {
        String ci = interval.isEmpty() ? "" : " <span class=\"ci\">" + Html.escape(interval) + "</span>";
        return "<td class=\"num\">" + Html.escape(value) + ci + "</td>";
    }

    private static String pValue(double p) {
        String text = Html.escape(Formats.pValue(p));
        return p < SIGNIFICANCE ? "<td class=\"num\"><strong>" + text + "</strong></td>" : "<td class=\"num\">" + text + "</td>";
    }
}
