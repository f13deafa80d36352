package dev.dpo4j.eval.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The pairwise win-rate chart: one horizontal bar per comparison "A vs B" giving A's
 * adjusted win rate, with its 95% CI as a whisker and a dashed line at 0.5 (parity). Bars
 * take contender A's colour.
 */
final class WinRateChart {

    private static final int ROW_HEIGHT = 30;
    private static final int LABEL_WIDTH = 190;

    private WinRateChart() {
    }

    /**
     * Renders the chart, or returns an empty string when there are no comparisons.
     *
     * @param results the pairwise results
     * @param contenders all contenders, in report order (their index picks the colour)
     */
    static String render(List<PairwiseResult> results, List<ContenderResult> contenders) {
        if (results.isEmpty()) {
            return "";
        }
        int height = Math.max(180, 40 + 46 + ROW_HEIGHT * results.size());
        PlotFrame frame = new PlotFrame(600, height, LABEL_WIDTH, 40, 56, 46);
        Ticks xTicks = new Ticks(0, 1, 0.25);
        Svg svg = new Svg(frame.width(), frame.height(), "Adjusted win rate of model A against model B");
        frame.xAxis(svg, xTicks, v -> Formats.number(100 * v, 0) + "%", "adjusted win rate of model A (ties count ½)");
        double rowHeight = (frame.y1() - frame.y0()) / results.size();
        List<String> names = contenders.stream().map(ContenderResult::name).toList();
        for (int i = 0; i < results.size(); i++) {
            PairwiseResult p = results.get(i);
            double centre = frame.y0() + (i + 0.5) * rowHeight;
            String colour = Palette.colour(names.indexOf(p.a()));
            double value = p.winRateAdjusted().value();
            svg.text(frame.x0() - 8, centre + 4, "end", "label", truncate(p.a() + " vs " + p.b()));
            if (Double.isNaN(value)) {
                continue;
            }
            double barHeight = Math.min(18, rowHeight * 0.6);
            svg.rect(frame.x0(), centre - barHeight / 2, frame.x(value, xTicks) - frame.x0(), barHeight, colour,
                    p.a() + " vs " + p.b() + ": " + Formats.percent(p.winRateAdjusted()) + ", " + p.wins()
                            + " wins, " + p.losses() + " losses, " + p.ties() + " ties");
            double labelX = frame.x(value, xTicks);
            if (p.winRateAdjusted().hasInterval()) {
                double lo = frame.x(p.winRateAdjusted().low(), xTicks);
                double hi = frame.x(p.winRateAdjusted().high(), xTicks);
                svg.line(lo, centre, hi, centre, "whisker", null);
                svg.line(lo, centre - 6, lo, centre + 6, "whisker", null);
                svg.line(hi, centre - 6, hi, centre + 6, "whisker", null);
                labelX = Math.max(labelX, hi);
            }
            svg.text(labelX + 6, centre + 4, "start", "value", Formats.percent(value));
        }
        double parity = frame.x(0.5, xTicks);
        svg.line(parity, frame.y0() - 6, parity, frame.y1(), "parity", null);
        svg.text(parity, frame.y0() - 10, "middle", "tick", "parity (50%)");
        frame.axes(svg);
        List<String> legendNames = new ArrayList<>();
        List<String> legendColours = new ArrayList<>();
        for (PairwiseResult p : results) {
            if (!legendNames.contains(p.a())) {
                legendNames.add(p.a());
                legendColours.add(Palette.colour(names.indexOf(p.a())));
            }
        }
        svg.legend(8, 16, frame.width(), legendNames.stream().map(n -> "A = " + n).toList(), legendColours);
        return svg.close();
    }

    private static String truncate(String label) {
        return label.length() <= 28 ? label : label.substring(0, 27) + "…";
    }
}
