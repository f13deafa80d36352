package dev.dpo4j.data.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A re-readable sequence of {@link DataRow}s: a file, a folder of files, a Hub dataset split, or
 * a view of another dataset (a range, a sample, a shuffle, one side of a split).
 *
 * <p>Every call to {@link #stream()} reads the source again from the start and returns a lazy
 * stream that holds an open file; close it, preferably with try-with-resources:
 *
 * <pre>{@code
 * Dataset data = Datasets.open(Path.of("prefs.jsonl"));
 * try (Stream<DataRow> rows = data.stream()) {
 *     rows.forEach(row -> use(row.get("prompt")));
 * }
 * }</pre>
 *
 * <p>The operations on this class return new datasets and read nothing until streamed. All of
 * them stream except {@link #shuffle(long)}, which holds every row in memory, and
 * {@link #sample(int, long)}, which holds the sampled rows. Rows keep their original source and
 * line through every operation, so an error found after a shuffle still names the file line.
 */
public abstract class Dataset {

    /** For subclasses. */
    protected Dataset() {
    }

    /**
     * The name used in messages: a path, a Hub reference, or a derived name such as
     * {@code data.jsonl[0:100]}.
     *
     * @return the name
     */
    public abstract String name();

    /**
     * Reads the rows from the start. Each call re-reads the source.
     *
     * @return a lazy, ordered, sequential stream that must be closed; a bad row ends it with a
     *     {@link DatasetException} naming the file and line
     */
    public abstract Stream<DataRow> stream();

    /**
     * A dataset whose rows come from a supplier of streams, called once per {@link #stream()}.
     *
     * @param name the name used in messages
     * @param rows returns a fresh stream of the rows on each call
     * @return the dataset
     */
    public static Dataset of(String name, Supplier<Stream<DataRow>> rows) {
        return new SuppliedDataset(name, rows);
    }

    /**
     * A dataset over rows already in memory.
     *
     * @param name the name used in messages
     * @param rows the rows, copied
     * @return the dataset
     */
    public static Dataset ofRows(String name, List<DataRow> rows) {
        List<DataRow> copy = List.copyOf(rows);
        return of(name, copy::stream);
    }

    /**
     * Counts the rows by reading them all once.
     *
     * @return the number of rows
     */
    public long count() {
        try (Stream<DataRow> rows = stream()) {
            return rows.count();
        }
    }

    /**
     * Reads every row into a list; for small datasets and tests.
     *
     * @return the rows in order
     */
    public List<DataRow> toList() {
        try (Stream<DataRow> rows = stream()) {
            return rows.toList();
        }
    }

    /**
     * The rows at positions {@code [fromInclusive, toExclusive)}, counted from 0, like Python's
     * {@code dataset.select(range(from, to))}. Lazy: rows before the range are read and skipped.
     * A range past the end gives the rows that exist.
     *
     * @param fromInclusive the first position, at least 0
     * @param toExclusive one past the last position, at least {@code fromInclusive}
     * @return the range
     */
    public Dataset select(long fromInclusive, long toExclusive) {
        if (fromInclusive < 0 || toExclusive < fromInclusive) {
            throw new IllegalArgumentException(
                    name() + ": select needs 0 <= from <= to, got [" + fromInclusive + ", " + toExclusive + ")");
        }
        return of(name() + "[" + fromInclusive + ":" + toExclusive + "]",
                () -> stream().skip(fromInclusive).limit(toExclusive - fromInclusive));
    }

    /**
     * The first {@code n} rows (all of them when there are fewer).
     *
     * @param n the most rows to keep, at least 0
     * @return the prefix
     */
    public Dataset limit(long n) {
        if (n < 0) {
            throw new IllegalArgumentException(name() + ": limit must be >= 0, got " + n);
        }
        return of(name() + "[:" + n + "]", () -> stream().limit(n));
    }

    /**
     * The rows the predicate accepts. Lazy.
     *
     * @param keep returns true for rows to keep
     * @return the filtered dataset
     */
    public Dataset filter(Predicate<DataRow> keep) {
        Objects.requireNonNull(keep, "keep");
        return of(name(), () -> stream().filter(keep));
    }

    /**
     * Each row transformed. Lazy. To keep messages useful, the function should keep the row's
     * source and line (for example {@code row -> new DataRow(row.source(), row.line(), newValue)}).
     *
     * @param function the transformation; must not return null
     * @return the mapped dataset
     */
    public Dataset map(Function<DataRow, DataRow> function) {
        Objects.requireNonNull(function, "function");
        return of(name(), () -> stream().map(row -> Objects.requireNonNull(function.apply(row),
                () -> row.location() + ": map returned null")));
    }

    /**
     * A uniform random sample of {@code n} rows without replacement, in source order, chosen in
     * one streaming pass by reservoir sampling (Vitter's Algorithm R, ACM TOMS 11(1), 1985): row
     * {@code i} (0-based) replaces a random reservoir slot with probability {@code n / (i + 1)}.
     * Holds only the {@code n} sampled rows. The same seed gives the same sample of the same
     * source; when the source has {@code n} rows or fewer, all of them are returned.
     *
     * @param n the sample size, at least 0
     * @param seed the random seed
     * @return the sample, read again (with the same result) on each {@link #stream()}
     */
    public Dataset sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException(name() + ": sample size must be >= 0, got " + n);
        }
        return of(name() + "[sample " + n + " seed " + seed + "]", () -> reservoir(n, seed).stream());
    }

    private List<DataRow> reservoir(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Slot> slots = new ArrayList<>();
        long position = 0;
        try (Stream<DataRow> source = stream()) {
            for (var it = source.iterator(); it.hasNext(); position++) {
                DataRow row = it.next();
                if (position < n) {
                    slots.add(new Slot(position, row));
                } else {
                    long j = random.nextLong(position + 1);
                    if (j < n) {
                        slots.set((int) j, new Slot(position, row));
                    }
                }
            }
        }
        slots.sort(Comparator.comparingLong(Slot::position));
        return slots.stream().map(Slot::row).toList();
    }

    /** A sampled row and its position in the source. */
    private record Slot(long position, DataRow row) {
    }

    /**
     * All rows in a random order. <b>Holds every row in memory</b> for each stream: for a
     * dataset larger than the heap, {@link #sample(int, long)} or {@link #split(double, long)}
     * stream instead. The order is a Fisher–Yates (Durstenfeld) shuffle driven by a
     * {@link SplittableRandom} seeded with {@code seed}, so it is the same on every run.
     *
     * @param seed the random seed
     * @return the shuffled dataset
     */
    public Dataset shuffle(long seed) {
        return of(name() + "[shuffle seed " + seed + "]", () -> {
            List<DataRow> rows = new ArrayList<>(toList());
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = rows.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                DataRow swap = rows.get(i);
                rows.set(i, rows.get(j));
                rows.set(j, swap);
            }
            return rows.stream();
        });
    }

    /**
     * Splits the rows into training and validation sets by a seeded hash of each row's position,
     * so both sides stream, every pass puts each row on the same side, and no row is on both.
     * Each row goes to validation independently with probability {@code validFraction}, so the
     * validation size is close to, not exactly, {@code validFraction * count()}.
     *
     * @param validFraction the share of rows for validation, in [0, 1]
     * @param seed the seed of the hash
     * @return the two sides
     */
    public Split split(double validFraction, long seed) {
        if (!(validFraction >= 0 && validFraction <= 1)) {
            throw new IllegalArgumentException(name() + ": validFraction must be in [0, 1], got " + validFraction);
        }
        Dataset train = of(name() + "[train]", () -> sideOf(false, validFraction, seed));
        Dataset valid = of(name() + "[valid]", () -> sideOf(true, validFraction, seed));
        return new Split(train, valid);
    }

    private Stream<DataRow> sideOf(boolean valid, double validFraction, long seed) {
        long[] position = {0};
        return stream().filter(row -> isValidation(position[0]++, validFraction, seed) == valid);
    }

    /**
     * Whether the row at {@code position} goes to validation: the SplitMix64 finaliser of the
     * seeded position, taken as a uniform number in [0, 1), is below the fraction.
     */
    static boolean isValidation(long position, double validFraction, long seed) {
        long z = seed + (position + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        double uniform = (z >>> 11) * 0x1.0p-53;
        return uniform < validFraction;
    }

    @Override
    public String toString() {
        return "Dataset[" + name() + "]";
    }

    /**
     * The two sides of {@link #split(double, long)}.
     *
     * @param train the rows for training
     * @param valid the rows for validation
     */
    public record Split(Dataset train, Dataset valid) {

        /** Validates that neither side is null. */
        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(valid, "valid");
        }
    }

    /** A dataset over a stream supplier. */
    private static final class SuppliedDataset extends Dataset {

        private final String name;
        private final Supplier<Stream<DataRow>> rows;

        SuppliedDataset(String name, Supplier<Stream<DataRow>> rows) {
            this.name = Objects.requireNonNull(name, "name");
            this.rows = Objects.requireNonNull(rows, "rows");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Stream<DataRow> stream() {
            return Objects.requireNonNull(rows.get(), () -> name + ": row supplier returned null");
        }
    }
}
