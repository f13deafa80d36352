package dev.dpo4j.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * The distribution of one length (prompt, chosen or rejected) over the kept rows. Percentiles use
 * the nearest-rank definition: the p-th percentile of n sorted values is the value at 1-based rank
 * {@code ceil(p / 100 * n)}, so it is always one of the observed lengths.
 *
 * @param count how many lengths were observed
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the largest length
 * @param mean the arithmetic mean (0 when there are none)
 */
public record LengthStats(long count, int p50, int p90, int p99, int max, double mean) {

    /** No lengths. */
    public static final LengthStats EMPTY = new LengthStats(0, 0, 0, 0, 0, 0);

    /**
     * Summarizes lengths.
     *
     * @param values the lengths; only the first {@code size} are read, and they are not modified
     * @param size how many of {@code values} to use
     * @return the summary ({@link #EMPTY} when size is 0)
     */
    public static LengthStats of(int[] values, int size) {
        if (size == 0) {
            return EMPTY;
        }
        int[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        long sum = 0;
        for (int v : sorted) {
            sum += v;
        }
        return new LengthStats(size, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted[size - 1],
                (double) sum / size);
    }

    private static int rank(int[] sorted, int percent) {
        int r = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(r, 1) - 1];
    }

    /**
     * The JSON form.
     *
     * @return {@code {"count", "p50", "p90", "p99", "max", "mean"}}
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("count", count);
        o.put("p50", p50);
        o.put("p90", p90);
        o.put("p99", p99);
        o.put("max", max);
        o.put("mean", mean);
        return o;
    }
}
