package dev.dpo4j.eval.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;

/**
 * A histogram of integer scores 0..max: {@code counts[s]} outputs scored {@code s}.
 *
 * <p>Used for QA scores (questions answered correctly out of, say, 5). The array is copied
 * on the way in and out, so the record is immutable; equality compares the counts.
 *
 * @param counts the number of outputs per score, index = score; at least one bucket
 */
public record Distribution(long[] counts) {

    /**
     * Copies and validates the counts.
     *
     * @throws IllegalArgumentException if {@code counts} is null or empty, or a count is negative
     */
    public Distribution {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("distribution needs at least one score bucket");
        }
        counts = counts.clone();
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0) {
                throw new IllegalArgumentException("distribution count for score " + s + " is negative: " + counts[s]);
            }
        }
    }

    /**
     * Counts scores into buckets 0..max.
     *
     * @param scores the scores
     * @param max the highest possible score (≥ 0)
     * @return the histogram with {@code max + 1} buckets
     * @throws IllegalArgumentException if a score lies outside 0..max (the message gives its index)
     */
    public static Distribution of(int[] scores, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("distribution max must be >= 0, got " + max);
        }
        long[] counts = new long[max + 1];
        for (int i = 0; i < scores.length; i++) {
            int s = scores[i];
            if (s < 0 || s > max) {
                throw new IllegalArgumentException("score[" + i + "] = " + s + " is outside 0.." + max);
            }
            counts[s]++;
        }
        return new Distribution(counts);
    }

    /**
     * A copy of the counts.
     *
     * @return counts per score, index = score
     */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /**
     * The highest score with a bucket.
     *
     * @return {@code counts.length − 1}
     */
    public int max() {
        return counts.length - 1;
    }

    /**
     * The number of outputs counted.
     *
     * @return the sum of the counts
     */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * The count of one score.
     *
     * @param score a score in 0..max
     * @return outputs with that score
     */
    public long count(int score) {
        if (score < 0 || score > max()) {
            throw new IllegalArgumentException("score " + score + " is outside 0.." + max());
        }
        return counts[score];
    }

    /**
     * The share of outputs scoring at least {@code atLeast}.
     *
     * @param atLeast the threshold score (values above max give 0, below 0 give 1)
     * @return a share in [0, 1]; {@code NaN} when nothing was counted
     */
    public double share(int atLeast) {
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        long above = 0;
        for (int s = Math.max(0, atLeast); s < counts.length; s++) {
            above += counts[s];
        }
        return (double) above / total;
    }

    /**
     * The counts as a JSON array, index = score.
     *
     * @return {@code [c0, c1, …]}
     */
    public ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (long c : counts) {
            array.add(c);
        }
        return array;
    }

    /**
     * Reads counts written by {@link #toJson()}.
     *
     * @param node a JSON array of non-negative integers
     * @return the distribution
     * @throws IllegalArgumentException if the node is not a non-empty array of integers
     */
    public static Distribution fromJson(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("distribution: expected a non-empty JSON array of counts, got " + node);
        }
        long[] counts = new long[node.size()];
        for (int s = 0; s < counts.length; s++) {
            JsonNode c = node.get(s);
            if (!c.isIntegralNumber()) {
                throw new IllegalArgumentException("distribution count for score " + s + ": expected an integer, got " + c);
            }
            counts[s] = c.longValue();
        }
        return new Distribution(counts);
    }

    /**
     * Equality by counts.
     *
     * @param other another object
     * @return true for a distribution with the same counts
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Distribution d && Arrays.equals(counts, d.counts);
    }

    /**
     * Hash of the counts.
     *
     * @return {@code Arrays.hashCode(counts)}
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    /**
     * The counts, for logs.
     *
     * @return {@code Distribution[counts=[…]]}
     */
    @Override
    public String toString() {
        return "Distribution[counts=" + Arrays.toString(counts) + "]";
    }
}
