package dev.dpo4j.eval.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Training-curve charts: one small line chart per metric (x = optimizer step), one line
 * per run, for the metrics that matter most when reading a DPO run: {@code loss},
 * {@code rewards/accuracies}, {@code rewards/margins} and {@code eval_loss}.
 */
final class CurveChart {

    /** The charted metrics, in display order; one absent from every run is skipped. */
    static final List<String> METRICS = List.of("loss", "rewards/accuracies", "rewards/margins", "eval_loss");

    private static final PlotFrame FRAME = new PlotFrame(600, 260, 64, 40, 16, 42);
    private static final int MARKER_LIMIT = 40;

    private CurveChart() {
    }

    /** One chart per metric present in at least one curve; an empty list when none is. */
    static List<String> renderAll(List<TrainingCurve> curves) {
        List<String> charts = new ArrayList<>();
        for (String metric : METRICS) {
            if (curves.stream().anyMatch(c -> !c.series(metric).isEmpty())) {
                charts.add(render(metric, curves));
            }
        }
        return charts;
    }

    /** The chart of one metric across all runs (the run's index picks its colour). */
    static String render(String metric, List<TrainingCurve> curves) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (TrainingCurve curve : curves) {
            for (CurvePoint p : curve.series(metric)) {
                xMin = Math.min(xMin, p.step());
                xMax = Math.max(xMax, p.step());
                yMin = Math.min(yMin, p.value());
                yMax = Math.max(yMax, p.value());
            }
        }
        Ticks xTicks = Ticks.cover(xMin, xMax, 6);
        Ticks yTicks = Ticks.cover(yMin, yMax, 4);
        Svg svg = new Svg(FRAME.width(), FRAME.height(), "Training curve: " + metric);
        svg.text(FRAME.x0(), 16, "start", "chart-title", metric);
        FRAME.yAxis(svg, yTicks, v -> Formats.number(v, yTicks.decimals()), metric);
        FRAME.xAxis(svg, xTicks, v -> Formats.number(v, xTicks.decimals()), "step");
        List<String> names = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        for (int i = 0; i < curves.size(); i++) {
            List<CurvePoint> series = curves.get(i).series(metric);
            if (series.isEmpty()) {
                continue;
            }
            String colour = Palette.colour(i);
            names.add(curves.get(i).run());
            colours.add(colour);
            List<double[]> xy = new ArrayList<>(series.size());
            for (CurvePoint p : series) {
                xy.add(new double[] {FRAME.x(p.step(), xTicks), FRAME.y(p.value(), yTicks)});
            }
            CurvePoint last = series.get(series.size() - 1);
            svg.polyline(xy, colour, curves.get(i).run() + ": " + metric + " = "
                    + Formats.number(last.value(), 4) + " at step " + Formats.number(last.step(), 0));
            if (series.size() <= MARKER_LIMIT) {
                for (double[] point : xy) {
                    svg.circle(point[0], point[1], 2.5, colour);
                }
            }
        }
        FRAME.axes(svg);
        svg.legend(FRAME.x0() + 150, 16, FRAME.x1(), names, colours);
        return svg.close();
    }
}
