package dev.dpo4j.data.tokenize;

import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.format.PreferenceFormat;
import dev.dpo4j.data.format.PreferenceFormats;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.Datasets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads preference rows from any dataset {@code data prepare} reads (JSONL, JSON, CSV, Parquet, folders,
 * {@code .gz}, Hub datasets; see {@link Datasets}) into tokenized, truncated {@link PreferencePair}s.
 *
 * <p>A row is either pre-tokenized, {@code {"prompt_ids":[…], "chosen_ids":[…], "rejected_ids":[…]}},
 * taken as given (no BOS or EOS added, each id checked against the vocabulary size when known; where a
 * row has ids and text the ids win), or in one of the layouts of {@link PreferenceFormats} (TRL standard,
 * conversational and implicit-prompt, UltraFeedback, argilla, stack-exchange-paired, hh-rlhf, llmforge),
 * detected from a dataset's first row or given with {@link #withFormat}. The layout's adapter makes the
 * {@link PreferenceExample} that {@code data prepare} would write (an implicit prompt split by
 * {@link dev.dpo4j.data.format.ImplicitPrompt}, TRL's rule), and {@link ExampleTokenizer} tokenizes it as
 * TRL does; so a row trained directly and the same row prepared first give the same token ids.
 *
 * <p>A bad row stops the read with a {@link dev.dpo4j.data.io.DatasetException} whose message is
 * {@code "file:line: problem"}, naming the field. Rows that are valid but too long for the
 * {@link Truncation} limits are dropped and reported in {@link ReadResult#droppedRows()}. With
 * {@link #skipBadRows(boolean) skipBadRows(true)} bad rows are recorded in {@link ReadResult#badRows()}
 * and skipped instead.
 */
public final class PairReader {

    private static final String PROMPT_IDS = "prompt_ids";
    private static final String CHOSEN_IDS = "chosen_ids";
    private static final String REJECTED_IDS = "rejected_ids";

    private final ExampleTokenizer encoder;
    private final int vocabSize;
    private final Truncation truncation;
    private final boolean skipBadRows;
    private final PreferenceFormat format;

    /**
     * Creates a reader.
     *
     * @param tokenizer the tokenizer for text and message rows, or null when every row carries token ids
     * @param vocabSize the model's vocabulary size (embedding rows) that every id must be below, or 0 when
     *     unknown
     * @param truncation the length limits
     */
    public PairReader(Tokenizer tokenizer, int vocabSize, Truncation truncation) {
        this(new ExampleTokenizer(tokenizer, vocabSize), vocabSize, Objects.requireNonNull(truncation, "truncation"),
                false, null);
    }

    private PairReader(ExampleTokenizer encoder, int vocabSize, Truncation truncation, boolean skipBadRows,
            PreferenceFormat format) {
        this.encoder = encoder;
        this.vocabSize = vocabSize;
        this.truncation = truncation;
        this.skipBadRows = skipBadRows;
        this.format = format;
    }

    /**
     * A reader that checks ids against the tokenizer's vocabulary ({@link Tokenizer#vocabSize()}).
     *
     * @param tokenizer the tokenizer
     * @param truncation the length limits
     * @return the reader
     */
    public static PairReader of(Tokenizer tokenizer, Truncation truncation) {
        return new PairReader(Objects.requireNonNull(tokenizer, "tokenizer"), tokenizer.vocabSize(), truncation);
    }

    /**
     * Reads a whole file or folder.
     *
     * @param path a dataset file or folder ({@link Datasets#open(Path)}); its name as given appears in errors
     * @return the pairs kept and the rows not kept
     * @throws dev.dpo4j.data.io.DatasetException when the path cannot be read, and at the first bad row
     *     unless skipping bad rows
     */
    public ReadResult<PreferencePair> read(Path path) {
        return read(Datasets.open(path));
    }

    /**
     * Reads every row of a dataset; its layout is detected from its first text row unless given.
     *
     * @param dataset the rows
     * @return the pairs kept and the rows not kept
     * @throws dev.dpo4j.data.io.DatasetException at the first bad row, unless skipping bad rows
     */
    public ReadResult<PreferencePair> read(Dataset dataset) {
        PreferenceFormat[] detected = {format};
        return RowLoop.read(dataset, row -> {
            if (detected[0] == null && !isTokenIds(row)) {
                detected[0] = PreferenceFormats.detect(row);
            }
            return toPair(row, detected[0]);
        }, truncation::apply, e -> e.promptIds().length, truncation.maxLength(), skipBadRows);
    }

    /**
     * A reader like this one that records invalid rows in {@link ReadResult#badRows()} and goes on,
     * instead of failing at the first; for large public datasets where a few rows are broken (Anthropic
     * hh-rlhf has answers that are empty).
     *
     * @param skip {@code true} to skip and record bad rows, {@code false} (the default) to fail
     * @return the reader
     */
    public PairReader skipBadRows(boolean skip) {
        return new PairReader(encoder, vocabSize, truncation, skip, format);
    }

    /**
     * A reader like this one that reads every row in one layout instead of detecting it.
     *
     * @param layout the layout, or null to detect it from each dataset's first row
     * @return the reader
     */
    public PairReader withFormat(PreferenceFormat layout) {
        return new PairReader(encoder, vocabSize, truncation, skipBadRows, layout);
    }

    /**
     * Tokenizes one row, without truncation, in this reader's layout or the one its columns show.
     *
     * @param row the row
     * @return the pair
     * @throws dev.dpo4j.data.io.DatasetException if the row is bad
     */
    public PreferencePair toPair(DataRow row) {
        return toPair(row, format != null || isTokenIds(row) ? format : PreferenceFormats.detect(row));
    }

    private PreferencePair toPair(DataRow row, PreferenceFormat layout) {
        if (isTokenIds(row)) {
            return new PreferencePair(TokenIds.read(row, PROMPT_IDS, vocabSize), TokenIds.read(row, CHOSEN_IDS, vocabSize),
                    TokenIds.read(row, REJECTED_IDS, vocabSize));
        }
        PreferenceExample example = layout.adapt(row);
        return encoder.pair(row, example);
    }

    private static boolean isTokenIds(DataRow row) {
        return TokenIds.hasAny(row, PROMPT_IDS, CHOSEN_IDS, REJECTED_IDS);
    }
}
