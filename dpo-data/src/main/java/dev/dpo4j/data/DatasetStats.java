package dev.dpo4j.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link PreferenceDataset} pass read, kept and dropped. Every row read is accounted for:
 * {@code rowsRead == kept + droppedTotal()} and {@code kept == train + valid}.
 *
 * @param rowsRead rows read from all sources (malformed ones included)
 * @param kept rows that passed every filter
 * @param train kept rows in the training split
 * @param valid kept rows in the validation split
 * @param dropped rows dropped per reason (reasons that dropped nothing are absent)
 * @param examples up to {@link #MAX_EXAMPLES} {@code file:line: detail} entries per reason
 * @param formats the format used for each source, by source name, in reading order
 * @param unit the unit of the lengths: {@code "tokens"} or {@code "characters"}
 * @param prompt prompt lengths of the kept rows
 * @param chosen chosen lengths of the kept rows
 * @param rejected rejected lengths of the kept rows
 */
public record DatasetStats(long rowsRead, long kept, long train, long valid, Map<DropReason, Long> dropped,
        Map<DropReason, List<String>> examples, Map<String, String> formats, String unit, LengthStats prompt,
        LengthStats chosen, LengthStats rejected) {

    /** How many example locations are kept per drop reason. */
    public static final int MAX_EXAMPLES = 5;

    /** Copies the maps (unmodifiable; drop maps in {@link DropReason} order). */
    public DatasetStats {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        d.putAll(dropped);
        dropped = Collections.unmodifiableMap(d);
        Map<DropReason, List<String>> e = new EnumMap<>(DropReason.class);
        examples.forEach((k, v) -> e.put(k, List.copyOf(v)));
        examples = Collections.unmodifiableMap(e);
        formats = Collections.unmodifiableMap(new LinkedHashMap<>(formats));
    }

    /**
     * Rows dropped for one reason.
     *
     * @param reason the reason
     * @return the count, 0 when none
     */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /**
     * Rows dropped for any reason.
     *
     * @return the sum over reasons
     */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Example locations for one reason.
     *
     * @param reason the reason
     * @return up to {@link #MAX_EXAMPLES} {@code file:line: detail} strings, empty when none
     */
    public List<String> examples(DropReason reason) {
        return examples.getOrDefault(reason, List.of());
    }

    /**
     * A readable summary for a terminal: counts, drops with example locations, and length
     * percentiles with their unit.
     *
     * @return the table, lines ending in {@code \n}
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        formats.forEach((source, format) -> sb.append(String.format("source %s (format %s)%n", source, format)));
        sb.append(String.format("%-20s %10d%n", "rows read", rowsRead));
        sb.append(String.format("%-20s %10d   train %d, valid %d%n", "kept", kept, train, valid));
        for (Map.Entry<DropReason, Long> e : dropped.entrySet()) {
            sb.append(String.format("%-20s %10d   %s%n", "dropped " + e.getKey().key(), e.getValue(),
                    e.getKey().description()));
            for (String where : examples(e.getKey())) {
                sb.append("      e.g. ").append(where).append('\n');
            }
        }
        sb.append(String.format("%-20s %8s %8s %8s %8s %10s%n", "length (" + unit + ")", "p50", "p90", "p99", "max",
                "mean"));
        row(sb, "prompt", prompt);
        row(sb, "chosen", chosen);
        row(sb, "rejected", rejected);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, LengthStats s) {
        sb.append(String.format("%-20s %8d %8d %8d %8d %10.1f%n", name, s.p50(), s.p90(), s.p99(), s.max(), s.mean()));
    }

    /**
     * The JSON form: {@code rows_read}, {@code kept}, {@code train}, {@code valid},
     * {@code dropped} (reason key → count), {@code drop_examples} (reason key → locations),
     * {@code formats}, {@code length_unit}, {@code lengths} ({@code prompt}/{@code chosen}/{@code rejected}).
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rows_read", rowsRead);
        o.put("kept", kept);
        o.put("train", train);
        o.put("valid", valid);
        ObjectNode d = o.putObject("dropped");
        dropped.forEach((k, v) -> d.put(k.key(), v));
        ObjectNode ex = o.putObject("drop_examples");
        examples.forEach((k, v) -> {
            ArrayNode a = ex.putArray(k.key());
            v.forEach(a::add);
        });
        ObjectNode f = o.putObject("formats");
        formats.forEach(f::put);
        o.put("length_unit", unit);
        ObjectNode l = o.putObject("lengths");
        l.set("prompt", prompt.toJson());
        l.set("chosen", chosen.toJson());
        l.set("rejected", rejected.toJson());
        return o;
    }
}
