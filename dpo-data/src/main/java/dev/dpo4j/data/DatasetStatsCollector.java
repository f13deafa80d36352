package dev.dpo4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts one {@link PreferenceDataset} pass as it streams; {@link #toStats()} freezes the result. */
final class DatasetStatsCollector {

    private final String unit;
    private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    private final Map<DropReason, List<String>> examples = new EnumMap<>(DropReason.class);
    private final Map<String, String> formats = new LinkedHashMap<>();
    private long rowsRead;
    private long train;
    private long valid;
    private int[] promptLengths = new int[1024];
    private int[] chosenLengths = new int[1024];
    private int[] rejectedLengths = new int[1024];
    private int lengths;

    DatasetStatsCollector(String unit) {
        this.unit = unit;
    }

    /** Counts a row read. */
    void read() {
        rowsRead++;
    }

    /**
     * Records the format used for a source.
     *
     * @param source the source name
     * @param format the format name
     */
    void format(String source, String format) {
        formats.put(source, format);
    }

    /**
     * Counts a dropped row.
     *
     * @param reason why
     * @param where {@code file:line: detail}, kept for the first few rows per reason
     */
    void drop(DropReason reason, String where) {
        dropped.merge(reason, 1L, Long::sum);
        List<String> list = examples.computeIfAbsent(reason, r -> new ArrayList<>());
        if (list.size() < DatasetStats.MAX_EXAMPLES) {
            list.add(where);
        }
    }

    /**
     * Counts a kept row.
     *
     * @param lengths its lengths
     * @param toValid whether it went to the validation split
     */
    void keep(PreferenceFilter.Lengths lengths, boolean toValid) {
        if (toValid) {
            valid++;
        } else {
            train++;
        }
        if (this.lengths == promptLengths.length) {
            int grown = promptLengths.length * 2;
            promptLengths = Arrays.copyOf(promptLengths, grown);
            chosenLengths = Arrays.copyOf(chosenLengths, grown);
            rejectedLengths = Arrays.copyOf(rejectedLengths, grown);
        }
        promptLengths[this.lengths] = lengths.prompt();
        chosenLengths[this.lengths] = lengths.chosen();
        rejectedLengths[this.lengths] = lengths.rejected();
        this.lengths++;
    }

    /**
     * The counts so far.
     *
     * @return the stats
     */
    DatasetStats toStats() {
        return new DatasetStats(rowsRead, train + valid, train, valid, dropped, examples, formats, unit,
                LengthStats.of(promptLengths, lengths), LengthStats.of(chosenLengths, lengths),
                LengthStats.of(rejectedLengths, lengths));
    }
}
