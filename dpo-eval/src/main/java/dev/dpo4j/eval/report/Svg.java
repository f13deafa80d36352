package dev.dpo4j.eval.report;

import java.util.List;
import java.util.Locale;

/**
 * A minimal inline-SVG writer for the report's charts. The element is written without an
 * {@code xmlns} attribute: inline SVG in an HTML5 document needs none, and the page must
 * not contain any URL. All text goes through {@link Html#escape}.
 */
final class Svg {

    private final StringBuilder out = new StringBuilder();

    /** Opens an SVG element of the given size, labelled for screen readers. */
    Svg(int width, int height, String label) {
        out.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(label)).append("\">\n");
    }

    /** A filled rectangle with a hover tooltip (the native SVG {@code <title>}). */
    Svg rect(double x, double y, double width, double height, String fill, String tooltip) {
        out.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"")
                .append(f(Math.max(0, width))).append("\" height=\"").append(f(Math.max(0, height)))
                .append("\" fill=\"").append(fill).append('"');
        if (tooltip == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(Html.escape(tooltip)).append("</title></rect>\n");
        }
        return this;
    }

    /** A line segment with a CSS class (see the page's stylesheet) and an optional stroke colour. */
    Svg line(double x1, double y1, double x2, double y2, String cssClass, String stroke) {
        out.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
                .append("\" y2=\"").append(f(y2)).append("\" class=\"").append(cssClass).append('"');
        if (stroke != null) {
            out.append(" stroke=\"").append(stroke).append('"');
        }
        out.append("/>\n");
        return this;
    }

    /** A text label; {@code anchor} is start, middle or end. */
    Svg text(double x, double y, String anchor, String cssClass, String text) {
        out.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" class=\"").append(cssClass).append("\">").append(Html.escape(text))
                .append("</text>\n");
        return this;
    }

    /** A vertical text label rotated -90° around its position (a y-axis title). */
    Svg verticalText(double x, double y, String cssClass, String text) {
        out.append("<text transform=\"translate(").append(f(x)).append(',').append(f(y))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"").append(cssClass).append("\">")
                .append(Html.escape(text)).append("</text>\n");
        return this;
    }

    /** A polyline through pixel points, each a {@code double[] {x, y}}, in one colour, with a tooltip. */
    Svg polyline(List<double[]> xy, String stroke, String tooltip) {
        out.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(stroke).append("\" points=\"");
        for (int i = 0; i < xy.size(); i++) {
            out.append(i == 0 ? "" : " ").append(f(xy.get(i)[0])).append(',').append(f(xy.get(i)[1]));
        }
        out.append("\"><title>").append(Html.escape(tooltip)).append("</title></polyline>\n");
        return this;
    }

    /** A small filled circle (a marker for a series with few points). */
    Svg circle(double x, double y, double r, String fill) {
        out.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"").append(f(r))
                .append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    /**
     * A horizontal legend: a colour swatch and a label per entry, starting at (x, y) and
     * wrapping to a new row before {@code maxX}.
     */
    Svg legend(double x, double y, double maxX, List<String> labels, List<String> colours) {
        double cx = x;
        double cy = y;
        for (int i = 0; i < labels.size(); i++) {
            double width = 22 + 7 * labels.get(i).length();
            if (cx > x && cx + width > maxX) {
                cx = x;
                cy += 16;
            }
            rect(cx, cy - 9, 10, 10, colours.get(i), null);
            text(cx + 14, cy, "start", "legend", labels.get(i));
            cx += width + 10;
        }
        return this;
    }

    /** Closes the element and returns the markup. */
    String close() {
        return out.append("</svg>\n").toString();
    }

    /** A coordinate with at most one decimal, locale-independent. */
    static String f(double x) {
        double rounded = Math.round(x * 10) / 10.0;
        return rounded == Math.rint(rounded)
                ? Long.toString((long) rounded)
                : String.format(Locale.ROOT, "%.1f", rounded);
    }
}
