package dev.dpo4j.data;

import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.format.PreferenceFormat;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.tokenize.ExampleTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds preference training data: reads one or more sources, adapts each row with a
 * {@link PreferenceFormat} (given, or detected per source from its first row), filters, splits
 * into train and validation, and writes TRL-format JSONL, in one streaming pass.
 *
 * <pre>{@code
 * DatasetStats stats = PreferenceDataset.builder()
 *         .addSource(Datasets.open(Path.of("hh-rlhf/train.jsonl.gz")))
 *         .optTokenizer(tokenizer).optMaxPromptTokens(512).optMaxTotalTokens(1024)
 *         .optValidFraction(0.02).optSeed(42)
 *         .build()
 *         .writeTo(Path.of("out/train.jsonl"), Path.of("out/valid.jsonl"));
 * System.out.print(stats.table());
 * }</pre>
 *
 * <p>No row is lost silently: each row read is kept or counted under one {@link DropReason}, with
 * the first {@value DatasetStats#MAX_EXAMPLES} {@code file:line} locations per reason. Malformed
 * rows are skipped and counted by default, or stop the pass at the first one with
 * {@code optSkipBadRows(false)}. The split is by prompt: a row goes to validation when a hash of
 * its prompt and the seed falls under the validation fraction, so the split is deterministic,
 * independent of row order, and never puts the same prompt in both splits.
 */
public final class PreferenceDataset {

    private record Source(String name, Supplier<Stream<DataRow>> rows) {
    }

    private final List<Source> sources;
    private final PreferenceFormat format;
    private final Tokenizer tokenizer;
    private final int maxPromptTokens;
    private final int maxResponseTokens;
    private final int maxTotalTokens;
    private final boolean dedup;
    private final boolean dropIdentical;
    private final boolean skipBadRows;
    private final double validFraction;
    private final long seed;

    private PreferenceDataset(Builder b) {
        this.sources = List.copyOf(b.sources);
        this.format = b.format;
        this.tokenizer = b.tokenizer;
        this.maxPromptTokens = b.maxPromptTokens;
        this.maxResponseTokens = b.maxResponseTokens;
        this.maxTotalTokens = b.maxTotalTokens;
        this.dedup = b.dedup;
        this.dropIdentical = b.dropIdentical;
        this.skipBadRows = b.skipBadRows;
        this.validFraction = b.validFraction;
        this.seed = b.seed;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads every source and counts, writing nothing.
     *
     * @return the stats
     * @throws DatasetException when a source's format cannot be detected, or at the first
     *     malformed row when bad rows are not skipped
     */
    public DatasetStats scan() {
        return process(e -> { }, e -> { });
    }

    /**
     * Reads every source once and hands each kept example to the consumer of its split.
     *
     * @param train receives the training examples, in source order
     * @param valid receives the validation examples, in source order
     * @return the stats
     * @throws DatasetException when a source's format cannot be detected, or at the first
     *     malformed row when bad rows are not skipped
     */
    public DatasetStats process(Consumer<PreferenceExample> train, Consumer<PreferenceExample> valid) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(valid, "valid");
        PreferenceFilterPass pass = new PreferenceFilterPass(format, new PreferenceFilter(
                tokenizer == null ? null : new ExampleTokenizer(tokenizer, 0), maxPromptTokens,
                maxResponseTokens, maxTotalTokens, dedup, dropIdentical), tokenizer == null ? "characters" : "tokens",
                skipBadRows, validFraction, seed, train, valid);
        for (Source source : sources) {
            pass.read(source.name(), source.rows());
        }
        return pass.stats();
    }

    /**
     * Writes the kept examples as TRL JSONL ({@link PreferenceExample#toJson()}: prompt, chosen,
     * rejected as strings or message lists, and {@code metadata} when not empty). Each file is
     * written to a temporary file beside it and moved into place only when the pass succeeds, so a
     * failed run leaves earlier outputs untouched.
     *
     * @param train the training file
     * @param valid the validation file; may be null when the validation fraction is 0 (when given,
     *     it is written even if empty)
     * @return the stats
     * @throws IllegalArgumentException when {@code valid} is null but a validation fraction is set,
     *     or both paths are the same
     * @throws UncheckedIOException when a file cannot be written
     * @throws DatasetException as for {@link #process(Consumer, Consumer)}
     */
    public DatasetStats writeTo(Path train, Path valid) {
        Objects.requireNonNull(train, "train");
        if (valid == null && validFraction > 0) {
            throw new IllegalArgumentException("optValidFraction(" + validFraction + ") needs a validation file");
        }
        if (valid != null && train.toAbsolutePath().normalize().equals(valid.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("train and valid must be different files, both are " + train);
        }
        try (AtomicFiles.Staged t = AtomicFiles.stage(train);
                AtomicFiles.Staged v = valid == null ? null : AtomicFiles.stage(valid)) {
            DatasetStats stats;
            try (JsonlWriter trainRows = JsonlWriter.create(t.path());
                    JsonlWriter validRows = v == null ? null : JsonlWriter.create(v.path())) {
                stats = process(e -> trainRows.write(e.toJson()), e -> validRows.write(e.toJson()));
            }
            t.commit();
            if (v != null) {
                v.commit();
            }
            return stats;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + train + ": " + e.getMessage(), e);
        }
    }

    /**
     * Configures a {@link PreferenceDataset}. At least one source is required; everything else is
     * optional.
     */
    public static final class Builder {

        private final List<Source> sources = new ArrayList<>();
        private PreferenceFormat format;
        private Tokenizer tokenizer;
        private int maxPromptTokens;
        private int maxResponseTokens;
        private int maxTotalTokens;
        private boolean dedup = true;
        private boolean dropIdentical = true;
        private boolean skipBadRows = true;
        private double validFraction;
        private long seed = 42;

        private Builder() {
        }

        /**
         * Adds a dataset to read (re-read on each pass).
         *
         * @param dataset the dataset
         * @return this builder
         */
        public Builder addSource(Dataset dataset) {
            Objects.requireNonNull(dataset, "dataset");
            return addRows(dataset.name(), dataset::stream);
        }

        /**
         * Adds rows to read: the supplier is called once per pass and its stream is closed after.
         *
         * @param name the source name, for stats
         * @param rows returns a fresh stream of the rows
         * @return this builder
         */
        public Builder addRows(String name, Supplier<Stream<DataRow>> rows) {
            sources.add(new Source(Objects.requireNonNull(name, "name"), Objects.requireNonNull(rows, "rows")));
            return this;
        }

        /**
         * The format of every source. Default: detected per source from its first row with
         * {@link dev.dpo4j.data.format.PreferenceFormats#detect(DataRow)}.
         *
         * @param format the format
         * @return this builder
         */
        public Builder optFormat(PreferenceFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * The tokenizer that measures lengths: the token counts {@code train} feeds for a row with this
         * tokenizer (chat template, BOS, EOS, the prompt/completion boundary; see
         * {@link ExampleTokenizer}). Default: none, lengths are in characters and the token limits cannot
         * be set.
         *
         * @param tokenizer the tokenizer; the caller closes it after the passes
         * @return this builder
         */
        public Builder optTokenizer(Tokenizer tokenizer) {
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
            return this;
        }

        /**
         * Drops rows whose prompt has more tokens. Default: no limit. Needs a tokenizer.
         *
         * @param max the limit, at least 1
         * @return this builder
         */
        public Builder optMaxPromptTokens(int max) {
            this.maxPromptTokens = positive(max, "optMaxPromptTokens");
            return this;
        }

        /**
         * Drops rows whose chosen or rejected has more tokens. Default: no limit. Needs a tokenizer.
         *
         * @param max the limit, at least 1
         * @return this builder
         */
        public Builder optMaxResponseTokens(int max) {
            this.maxResponseTokens = positive(max, "optMaxResponseTokens");
            return this;
        }

        /**
         * Drops rows whose prompt plus longer response has more tokens (TRL's {@code max_length}
         * counts the same sum, though TRL truncates where this drops). Default: no limit. Needs a
         * tokenizer.
         *
         * @param max the limit, at least 1
         * @return this builder
         */
        public Builder optMaxTotalTokens(int max) {
            this.maxTotalTokens = positive(max, "optMaxTotalTokens");
            return this;
        }

        /**
         * Whether exact duplicates (same prompt, chosen and rejected) after the first are dropped.
         * Default: true.
         *
         * @param dedup true to drop duplicates
         * @return this builder
         */
        public Builder optDedup(boolean dedup) {
            this.dedup = dedup;
            return this;
        }

        /**
         * Whether rows whose chosen equals rejected are dropped. Default: true.
         *
         * @param drop true to drop them
         * @return this builder
         */
        public Builder optDropIdentical(boolean drop) {
            this.dropIdentical = drop;
            return this;
        }

        /**
         * Whether malformed rows are skipped (counted as {@link DropReason#MALFORMED} with their
         * {@code file:line}) or stop the pass with a {@link DatasetException}. Default: true.
         *
         * @param skip true to skip and count
         * @return this builder
         */
        public Builder optSkipBadRows(boolean skip) {
            this.skipBadRows = skip;
            return this;
        }

        /**
         * The share of prompts that go to the validation split. Default: 0.
         *
         * @param fraction in [0, 1)
         * @return this builder
         */
        public Builder optValidFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("optValidFraction must be in [0, 1), got " + fraction);
            }
            this.validFraction = fraction;
            return this;
        }

        /**
         * The seed of the train/validation split. Default: 42.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the dataset builder's result, ready to {@link PreferenceDataset#writeTo} or
         *     {@link PreferenceDataset#scan}
         * @throws IllegalStateException when no source was added, or a token limit is set without a
         *     tokenizer
         */
        public PreferenceDataset build() {
            if (sources.isEmpty()) {
                throw new IllegalStateException("PreferenceDataset needs at least one source (addSource or addRows)");
            }
            if (tokenizer == null && (maxPromptTokens > 0 || maxResponseTokens > 0 || maxTotalTokens > 0)) {
                throw new IllegalStateException("Token length limits need a tokenizer: call optTokenizer(...)");
            }
            return new PreferenceDataset(this);
        }

        private static int positive(int value, String option) {
            if (value < 1) {
                throw new IllegalArgumentException(option + " must be >= 1, got " + value);
            }
            return value;
        }
    }
}
