package dev.dpo4j.eval.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A point estimate with a 95% percentile-bootstrap confidence interval over {@code n} items.
 *
 * <p>{@code low} and {@code high} are {@code NaN} when {@code n < 2} (an interval needs at
 * least two items); {@code value} is {@code NaN} when {@code n == 0}. In JSON the estimate is
 * {@code {"value":…, "ci_low":…, "ci_high":…, "n":…}} with {@code NaN} written as {@code null}.
 *
 * @param value the point estimate (for example the sample mean)
 * @param low the lower end of the 95% interval (2.5th percentile of the bootstrap distribution)
 * @param high the upper end of the 95% interval (97.5th percentile)
 * @param n the number of items the estimate is computed over
 */
public record Estimate(double value, double low, double high, int n) {

    /**
     * Validates the count.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Estimate {
        if (n < 0) {
            throw new IllegalArgumentException("Estimate n must be >= 0, got " + n);
        }
    }

    /**
     * An estimate over no items: every number is {@code NaN}.
     *
     * @return {@code Estimate(NaN, NaN, NaN, 0)}
     */
    public static Estimate empty() {
        return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /**
     * Whether the interval is known (both ends are numbers).
     *
     * @return true when {@code low} and {@code high} are not {@code NaN}
     */
    public boolean hasInterval() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /**
     * The estimate as JSON, {@code NaN} written as {@code null}.
     *
     * @return {@code {"value", "ci_low", "ci_high", "n"}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putNumber(node, "value", value);
        putNumber(node, "ci_low", low);
        putNumber(node, "ci_high", high);
        node.put("n", n);
        return node;
    }

    /**
     * Reads an estimate written by {@link #toJson()}; {@code null} numbers read as {@code NaN}.
     *
     * @param node a JSON object with {@code value}, {@code ci_low}, {@code ci_high} and {@code n}
     * @return the estimate
     * @throws IllegalArgumentException if the node is not an object, or a field is missing or
     *     not a number (the message names the field)
     */
    public static Estimate fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("estimate: expected a JSON object, got " + node);
        }
        JsonNode count = node.get("n");
        if (count == null || !count.canConvertToInt() || !count.isIntegralNumber()) {
            throw new IllegalArgumentException("estimate field 'n': expected an integer, got " + count);
        }
        return new Estimate(
                readNumber(node, "value"), readNumber(node, "ci_low"), readNumber(node, "ci_high"), count.intValue());
    }

    /**
     * Formats the estimate as {@code "3.12 [2.95, 3.30]"}; without an interval only the value
     * is written, and a {@code NaN} value is written as {@code "n/a"}.
     *
     * @param decimals digits after the decimal point (0 or more)
     * @return the formatted estimate
     */
    public String format(int decimals) {
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be >= 0, got " + decimals);
        }
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String pattern = "%." + decimals + "f";
        String text = String.format(Locale.ROOT, pattern, value);
        if (!hasInterval()) {
            return text;
        }
        return text + " [" + String.format(Locale.ROOT, pattern, low) + ", "
                + String.format(Locale.ROOT, pattern, high) + "]";
    }

    private static void putNumber(ObjectNode node, String field, double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            node.putNull(field);
        } else {
            node.put(field, x);
        }
    }

    private static double readNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("estimate field '" + field + "' is missing");
        }
        if (value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(
                    "estimate field '" + field + "': expected a number or null, got " + value);
        }
        return value.doubleValue();
    }
}
