package dev.dpo4j.eval.report;

import dev.dpo4j.eval.stats.Distribution;
import java.util.ArrayList;
import java.util.List;

/**
 * The QA-score distribution chart: for each score 0..questions a group of bars, one per
 * contender, giving the share of that contender's outputs with that score (shares rather
 * than counts, so contenders with different numbers of outputs compare directly).
 */
final class ScoreChart {

    private static final PlotFrame FRAME = new PlotFrame(600, 260, 56, 36, 16, 42);

    private ScoreChart() {
    }

    /**
     * Renders the chart, or returns an empty string when no contender has a QA result.
     *
     * @param contenders all contenders, in report order (their index picks the colour)
     */
    static String render(List<ContenderResult> contenders) {
        List<String> names = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        List<Distribution> distributions = new ArrayList<>();
        int questions = 0;
        for (int i = 0; i < contenders.size(); i++) {
            QaResult qa = contenders.get(i).qa();
            if (qa != null && qa.scores().total() > 0) {
                names.add(contenders.get(i).name());
                colours.add(Palette.colour(i));
                distributions.add(qa.scores());
                questions = Math.max(questions, qa.scores().max());
            }
        }
        if (distributions.isEmpty()) {
            return "";
        }
        double highest = 0;
        for (Distribution d : distributions) {
            for (int s = 0; s <= d.max(); s++) {
                highest = Math.max(highest, (double) d.count(s) / d.total());
            }
        }
        Ticks yTicks = Ticks.cover(0, highest, 5);
        Svg svg = new Svg(FRAME.width(), FRAME.height(), "Distribution of QA scores per contender");
        FRAME.yAxis(svg, yTicks, v -> Formats.number(100 * v, Math.max(0, yTicks.decimals() - 2)) + "%",
                "share of outputs");
        double groupWidth = (FRAME.x1() - FRAME.x0()) / (questions + 1);
        double barWidth = groupWidth * 0.8 / distributions.size();
        for (int s = 0; s <= questions; s++) {
            double groupLeft = FRAME.x0() + s * groupWidth + groupWidth * 0.1;
            for (int k = 0; k < distributions.size(); k++) {
                Distribution d = distributions.get(k);
                long count = s <= d.max() ? d.count(s) : 0;
                double share = (double) count / d.total();
                double top = FRAME.y(share, yTicks);
                svg.rect(groupLeft + k * barWidth, top, barWidth - 1, FRAME.y1() - top, colours.get(k),
                        names.get(k) + ": score " + s + ": " + count + " of " + d.total() + " ("
                                + Formats.percent(share) + ")");
            }
            svg.text(FRAME.x0() + (s + 0.5) * groupWidth, FRAME.y1() + 16, "middle", "tick", Integer.toString(s));
        }
        svg.text((FRAME.x0() + FRAME.x1()) / 2, FRAME.height() - 6, "middle", "axis-title",
                "questions answered correctly (of " + questions + ")");
        FRAME.axes(svg);
        svg.legend(FRAME.x0(), 18, FRAME.x1(), names, colours);
        return svg.close();
    }
}
