package dev.dpo4j.core.train.data;

import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.PreferencePair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads a JSON Lines file of preference rows in TRL's dataset formats into tokenized, truncated
 * {@link PreferencePair}s.
 *
 * <p>Accepted rows (other fields, such as scores or model names, are ignored):
 * <ul>
 *   <li><b>token ids</b> {@code {"prompt_ids":[…], "chosen_ids":[…], "rejected_ids":[…]}}: taken as given
 *       (no BOS or EOS added), each id checked against the vocabulary size when known. Where a row has
 *       ids and text, the ids win.</li>
 *   <li><b>standard</b> {@code {"prompt": str, "chosen": str, "rejected": str}}: the prompt encoded with
 *       the tokenizer's special tokens (one BOS), each completion without them and EOS appended, as TRL
 *       encodes prompt and completion separately so their boundary is exact.</li>
 *   <li><b>conversational</b> {@code {"prompt": [messages], "chosen": [messages], "rejected": [messages]}}
 *       with messages {@code {"role": …, "content": …}}: rendered with the chat template as TRL's
 *       {@code maybe_apply_chat_template} (prompt with the generation prompt; each completion is the
 *       template of prompt plus completion, minus the prompt text), then encoded as above, where the
 *       completion keeps the template's own end-of-turn token instead of a second EOS (see
 *       {@code RowTokenizer}).</li>
 *   <li><b>implicit prompt</b> {@code {"chosen": str | [messages], "rejected": str | [messages]}}: the
 *       prompt is the common start of both, split off by {@link ImplicitPrompt}; then as above.</li>
 * </ul>
 *
 * <p>A bad row stops the read with a {@link dev.dpo4j.core.io.JsonlException} whose message is
 * {@code "file:line: field 'name' problem"}: a missing field or one of the wrong type, an empty
 * completion, an id outside the vocabulary, a message without {@code role} or {@code content}, chat
 * messages with a tokenizer that has no chat template, text with no tokenizer. Rows that are valid but
 * too long for the {@link Truncation} limits are dropped and reported in {@link ReadResult#droppedRows()}.
 * With {@link #skipBadRows(boolean) skipBadRows(true)} bad rows are recorded in
 * {@link ReadResult#badRows()} and skipped instead.
 */
public final class PairReader {

    private static final String PROMPT = "prompt";
    private static final String CHOSEN = "chosen";
    private static final String REJECTED = "rejected";
    private static final String PROMPT_IDS = "prompt_ids";
    private static final String CHOSEN_IDS = "chosen_ids";
    private static final String REJECTED_IDS = "rejected_ids";

    private final RowTokenizer encoder;
    private final int vocabSize;
    private final Truncation truncation;
    private final boolean skipBadRows;

    /**
     * Creates a reader.
     *
     * @param tokenizer the tokenizer for text and message rows, or null when every row carries token ids
     * @param vocabSize the model's vocabulary size (embedding rows) that every id must be below, or 0 when
     *     unknown
     * @param truncation the length limits
     */
    public PairReader(Tokenizer tokenizer, int vocabSize, Truncation truncation) {
        if (vocabSize < 0) {
            throw new IllegalArgumentException("vocabSize must be >= 0 (0 = unknown), got " + vocabSize);
        }
        this.encoder = new RowTokenizer(tokenizer, vocabSize);
        this.vocabSize = vocabSize;
        this.truncation = Objects.requireNonNull(truncation, "truncation");
        this.skipBadRows = false;
    }

    private PairReader(RowTokenizer encoder, int vocabSize, Truncation truncation, boolean skipBadRows) {
        this.encoder = encoder;
        this.vocabSize = vocabSize;
        this.truncation = truncation;
        this.skipBadRows = skipBadRows;
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
     * Reads a whole file.
     *
     * @param file the JSONL file; its name as given appears in error messages
     * @return the pairs kept and the rows not kept
     * @throws IOException if the file cannot be opened
     * @throws dev.dpo4j.core.io.JsonlException at the first bad row, unless skipping bad rows
     */
    public ReadResult<PreferencePair> read(Path file) throws IOException {
        try (JsonlReader reader = JsonlReader.open(file)) {
            return read(reader);
        }
    }

    /**
     * Reads every row of an open reader.
     *
     * @param reader the rows; the caller closes it
     * @return the pairs kept and the rows not kept
     * @throws dev.dpo4j.core.io.JsonlException at the first bad row, unless skipping bad rows
     */
    public ReadResult<PreferencePair> read(JsonlReader reader) {
        return RowLoop.read(reader, this::toPair, truncation::apply, e -> e.promptIds().length, truncation.maxLength(),
                skipBadRows);
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
        return new PairReader(encoder, vocabSize, truncation, skip);
    }

    /**
     * Tokenizes one row, without truncation.
     *
     * @param row the row
     * @return the pair
     * @throws dev.dpo4j.core.io.JsonlException if the row is bad
     */
    public PreferencePair toPair(JsonlRow row) {
        if (RowFields.hasAny(row, PROMPT_IDS, CHOSEN_IDS, REJECTED_IDS)) {
            return new PreferencePair(RowFields.ids(row, PROMPT_IDS, vocabSize), RowFields.ids(row, CHOSEN_IDS, vocabSize),
                    RowFields.ids(row, REJECTED_IDS, vocabSize));
        }
        if (!RowFields.hasAny(row, CHOSEN, REJECTED)) {
            throw row.error("field 'chosen' is missing: a preference row needs 'chosen' and 'rejected' (text or chat"
                    + " messages, with an optional 'prompt'), or 'prompt_ids', 'chosen_ids' and 'rejected_ids'");
        }
        boolean explicit = row.value().has(PROMPT);
        boolean conversational = RowFields.isList(row, explicit ? PROMPT : CHOSEN);
        if (explicit) {
            return conversational ? explicitMessages(row) : explicitText(row);
        }
        return conversational ? implicitMessages(row) : implicitText(row);
    }

    private PreferencePair explicitText(JsonlRow row) {
        String prompt = row.requireText(PROMPT);
        return textPair(row, PROMPT, prompt, RowFields.nonBlankText(row, CHOSEN), RowFields.nonBlankText(row, REJECTED));
    }

    private PreferencePair implicitText(JsonlRow row) {
        ImplicitPrompt<String> split = ImplicitPrompt.ofText(row.requireText(CHOSEN), row.requireText(REJECTED));
        return textPair(row, CHOSEN, split.prompt(), split.chosen(), split.rejected());
    }

    private PreferencePair textPair(JsonlRow row, String promptField, String prompt, String chosen, String rejected) {
        long[] chosenIds = encoder.completion(row, CHOSEN, chosen);
        long[] rejectedIds = encoder.completion(row, REJECTED, rejected);
        return new PreferencePair(encoder.prompt(row, promptField, prompt), chosenIds, rejectedIds);
    }

    private PreferencePair explicitMessages(JsonlRow row) {
        return messagePair(row, PROMPT, RowFields.messages(row, PROMPT), RowFields.messages(row, CHOSEN),
                RowFields.messages(row, REJECTED));
    }

    private PreferencePair implicitMessages(JsonlRow row) {
        ImplicitPrompt<List<ChatMessage>> split =
                ImplicitPrompt.ofMessages(RowFields.messages(row, CHOSEN), RowFields.messages(row, REJECTED));
        if (split.prompt().isEmpty()) {
            throw row.error("field 'chosen' and field 'rejected' share no leading messages, so there is no implicit"
                    + " prompt; add a 'prompt' field");
        }
        return messagePair(row, CHOSEN, split.prompt(), split.chosen(), split.rejected());
    }

    private PreferencePair messagePair(JsonlRow row, String promptField, List<ChatMessage> prompt,
            List<ChatMessage> chosen, List<ChatMessage> rejected) {
        RowTokenizer.ChatTexts texts = encoder.renderChat(row, promptField, prompt, true,
                List.of(CHOSEN, REJECTED), List.of(chosen, rejected));
        long[] chosenIds = encoder.completion(row, CHOSEN, texts.completions().get(0));
        long[] rejectedIds = encoder.completion(row, REJECTED, texts.completions().get(1));
        return new PreferencePair(encoder.prompt(row, promptField, texts.prompt()), chosenIds, rejectedIds);
    }
}
