package dev.dpo4j.eval.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Training-curve charts: one small line chart per run and metric (x = that run's optimizer steps), for
 * the metrics that matter most when reading a DPO run: {@code loss},
 * {@code rewards/accuracies}, {@code rewards/margins} and {@code eval_loss}.
 */
final class CurveChart {

    /** The charted metrics, in display order; one absent from every run is skipped. */
    static final List<String> METRICS = List.of("loss", "rewards/accuracies", "rewards/margins", "eval_loss");

    private static final PlotFrame FRAME = new PlotFrame(600, 260, 64, 40, 16, 42);
    private static final int MARKER_LIMIT = 40;

    private CurveChart() {
    }

    /**
     * One chart per run and metric that run logged, each on its own step axis: runs of very different
     * lengths (an SFT of 3,000 steps, a DPO of 57) would squeeze the short one into a few pixels of a
     * shared axis. The run's index picks its colour, the same in every chart. An empty list when no run
     * logged a charted metric.
     */
    static List<String> renderAll(List<TrainingCurve> curves) {
        List<String> charts = new ArrayList<>();
        for (int i = 0; i < curves.size(); i++) {
            for (String metric : METRICS) {
                if (!curves.get(i).series(metric).isEmpty()) {
                    charts.add(render(metric, curves.get(i), Palette.colour(i)));
                }
            }
        }
        return charts;
    }

    /** The chart of one run's metric. */
    static String render(String metric, TrainingCurve curve, String colour) {
        List<CurvePoint> series = curve.series(metric);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (CurvePoint p : series) {
            xMin = Math.min(xMin, p.step());
            xMax = Math.max(xMax, p.step());
            yMin = Math.min(yMin, p.value());
            yMax = Math.max(yMax, p.value());
        }
        Ticks xTicks = Ticks.cover(xMin, xMax, 6);
        Ticks yTicks = Ticks.cover(yMin, yMax, 4);
        String title = curve.run() + ": " + metric;
        Svg svg = new Svg(FRAME.width(), FRAME.height(), "Training curve: " + title);
        svg.text(FRAME.x0(), 16, "start", "chart-title", title);
        FRAME.yAxis(svg, yTicks, v -> Formats.number(v, yTicks.decimals()), metric);
        FRAME.xAxis(svg, xTicks, v -> Formats.number(v, xTicks.decimals()), "step");
        List<double[]> xy = new ArrayList<>(series.size());
        for (CurvePoint p : series) {
            xy.add(new double[] {FRAME.x(p.step(), xTicks), FRAME.y(p.value(), yTicks)});
        }
        CurvePoint last = series.get(series.size() - 1);
        svg.polyline(xy, colour, curve.run() + ": " + metric + " = " + Formats.number(last.value(), 4) + " at step "
                + Formats.number(last.step(), 0));
        if (series.size() <= MARKER_LIMIT) {
            for (double[] point : xy) {
                svg.circle(point[0], point[1], 2.5, colour);
            }
        }
        FRAME.axes(svg);
        return svg.close();
    }
}
