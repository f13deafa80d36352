package dev.dpo4j.eval.report;

import java.util.function.DoubleFunction;

/**
 * The plotting rectangle of a chart and its data-to-pixel mapping: the SVG is
 * {@code width × height}, the plot area is inset by the margins, y grows upwards.
 *
 * @param width SVG width in px
 * @param height SVG height in px
 * @param left left margin (room for y tick labels and the y title)
 * @param top top margin (room for the title and legend)
 * @param right right margin
 * @param bottom bottom margin (room for x tick labels and the x title)
 */
record PlotFrame(int width, int height, int left, int top, int right, int bottom) {

    /** Left edge of the plot area. */
    double x0() {
        return left;
    }

    /** Right edge of the plot area. */
    double x1() {
        return width - right;
    }

    /** Top edge of the plot area. */
    double y0() {
        return top;
    }

    /** Bottom edge of the plot area (the x axis). */
    double y1() {
        return height - bottom;
    }

    /** Pixel x of a data value on a linear axis {@code [min, max]}. */
    double x(double value, Ticks axis) {
        return x0() + (value - axis.min()) / (axis.max() - axis.min()) * (x1() - x0());
    }

    /** Pixel y of a data value on a linear axis {@code [min, max]}. */
    double y(double value, Ticks axis) {
        return y1() - (value - axis.min()) / (axis.max() - axis.min()) * (y1() - y0());
    }

    /** Horizontal grid lines, y tick labels and the rotated y title. */
    void yAxis(Svg svg, Ticks axis, DoubleFunction<String> label, String title) {
        for (double v : axis.values()) {
            double py = y(v, axis);
            svg.line(x0(), py, x1(), py, "grid", null);
            svg.text(x0() - 6, py + 4, "end", "tick", label.apply(v));
        }
        svg.verticalText(14, (y0() + y1()) / 2, "axis-title", title);
    }

    /** Vertical grid lines, x tick labels and the x title, for a numeric x axis. */
    void xAxis(Svg svg, Ticks axis, DoubleFunction<String> label, String title) {
        for (double v : axis.values()) {
            double px = x(v, axis);
            svg.line(px, y0(), px, y1(), "grid", null);
            svg.text(px, y1() + 16, "middle", "tick", label.apply(v));
        }
        svg.text((x0() + x1()) / 2, height - 6, "middle", "axis-title", title);
    }

    /** The two axis lines: left and bottom edges of the plot area. */
    void axes(Svg svg) {
        svg.line(x0(), y0(), x0(), y1(), "axis", null);
        svg.line(x0(), y1(), x1(), y1(), "axis", null);
    }
}
