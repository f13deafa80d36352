package dev.dpo4j.data;

import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.format.PreferenceFormat;
import dev.dpo4j.data.format.PreferenceFormats;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One streaming pass of {@link PreferenceDataset} over its sources: detect or apply the format,
 * adapt, filter, split, hand each kept example to its split's consumer, and count everything.
 */
final class PreferenceFilterPass {

    private final PreferenceFormat format;
    private final PreferenceFilter filter;
    private final DatasetStatsCollector stats;
    private final boolean skipBadRows;
    private final double validFraction;
    private final long seed;
    private final Consumer<PreferenceExample> train;
    private final Consumer<PreferenceExample> valid;

    /**
     * @param format the format of every source, or null to detect it per source
     * @param filter the filters, fresh for this pass
     * @param unit the length unit for the stats
     * @param skipBadRows whether malformed rows are counted (true) or thrown (false)
     * @param validFraction the share of prompts for validation
     * @param seed the split seed
     * @param train receives training examples
     * @param valid receives validation examples
     */
    PreferenceFilterPass(PreferenceFormat format, PreferenceFilter filter, String unit, boolean skipBadRows,
            double validFraction, long seed, Consumer<PreferenceExample> train, Consumer<PreferenceExample> valid) {
        this.format = format;
        this.filter = filter;
        this.stats = new DatasetStatsCollector(unit);
        this.skipBadRows = skipBadRows;
        this.validFraction = validFraction;
        this.seed = seed;
        this.train = train;
        this.valid = valid;
    }

    /**
     * Reads one source to its end.
     *
     * @param name the source name
     * @param source returns a fresh stream of its rows; the stream is closed here
     * @throws DatasetException when the format cannot be detected from the first row, when a
     *     malformed row is met and bad rows are not skipped, or when the reader cannot go past a
     *     bad row
     */
    void read(String name, Supplier<Stream<DataRow>> source) {
        PreferenceFormat sourceFormat = format;
        if (sourceFormat != null) {
            stats.format(name, sourceFormat.name());
        }
        try (Stream<DataRow> rows = source.get()) {
            Iterator<DataRow> it = rows.iterator();
            String lastReadFailure = null;
            while (true) {
                DataRow row;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    row = it.next();
                } catch (DatasetException e) {
                    // A reader that cannot go past a bad row fails twice at the same place: stop there.
                    String where = e.source() + ":" + e.line();
                    if (!skipBadRows || e.line() <= 0 || where.equals(lastReadFailure)) {
                        throw e;
                    }
                    lastReadFailure = where;
                    stats.read();
                    stats.drop(DropReason.MALFORMED, e.getMessage());
                    continue;
                }
                lastReadFailure = null;
                stats.read();
                if (sourceFormat == null) {
                    sourceFormat = PreferenceFormats.detect(row);
                    stats.format(name, sourceFormat.name());
                }
                accept(row, sourceFormat);
            }
        }
    }

    /**
     * The counts so far.
     *
     * @return the stats
     */
    DatasetStats stats() {
        return stats.toStats();
    }

    private void accept(DataRow row, PreferenceFormat rowFormat) {
        PreferenceExample example;
        PreferenceFilter.Verdict verdict;
        try {
            example = rowFormat.adapt(row);
            verdict = filter.check(row, example);
        } catch (DatasetException e) {
            if (!skipBadRows) {
                throw e;
            }
            stats.drop(DropReason.MALFORMED, e.getMessage());
            return;
        }
        if (!verdict.kept()) {
            stats.drop(verdict.reason(), row.location() + ": " + verdict.detail());
            return;
        }
        boolean toValid = isValidation(example);
        stats.keep(verdict.lengths(), toValid);
        (toValid ? valid : train).accept(example);
    }

    /** Whether the example's prompt hashes, with the seed, under the validation fraction. */
    private boolean isValidation(PreferenceExample example) {
        if (validFraction <= 0) {
            return false;
        }
        long h = PreferenceFilter.hash128(example.prompt().toJson().toString())[0];
        // SplitMix64's finalizer (Steele et al., OOPSLA 2014) mixes the seed into the prompt hash.
        long z = h ^ (seed * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        double u = (z >>> 11) * 0x1.0p-53;
        return u < validFraction;
    }
}
