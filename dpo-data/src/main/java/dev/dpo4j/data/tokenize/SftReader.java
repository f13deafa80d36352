package dev.dpo4j.data.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.data.format.Content;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.Datasets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads supervised fine-tuning rows in TRL's dataset formats, from any dataset {@code data prepare} reads
 * (JSONL, JSON, CSV, Parquet, folders, {@code .gz}, Hub datasets; see {@link Datasets}), into tokenized,
 * truncated {@link SftExample}s (prompt, and the completion the loss covers).
 *
 * <p>Accepted rows (other fields are ignored):
 * <ul>
 *   <li><b>token ids</b> {@code {"prompt_ids":[…], "completion_ids":[…]}}: taken as given, each id checked
 *       against the vocabulary size when known; where a row has ids and text, the ids win.</li>
 *   <li><b>messages</b> {@code {"messages":[…]}}: the completion is the <em>last</em> assistant message;
 *       the prompt is the chat template over every message before it with
 *       {@code add_generation_prompt=True}; the completion text is the template over the conversation up
 *       to and including that message, minus the prompt text, so it ends as the template ends the turn.
 *       Messages after the last assistant message are an error (they would be lost).</li>
 *   <li><b>prompt-completion</b> {@code {"prompt": str, "completion": str}} (or both as message lists,
 *       TRL's conversational prompt-completion): encoded as {@link ExampleTokenizer} encodes a prompt and a
 *       completion, EOS appended unless the completion already ends with an EOS-like token.</li>
 * </ul>
 *
 * <p>A bad row stops the read with a {@link dev.dpo4j.data.io.DatasetException} whose message is
 * {@code "file:line: field 'name' problem"}; an example whose prompt alone fills {@code max_length} is
 * dropped and reported in {@link ReadResult#droppedRows()} (see {@link Truncation#apply(SftExample)}).
 * With {@link #skipBadRows(boolean) skipBadRows(true)} bad rows are recorded in
 * {@link ReadResult#badRows()} and skipped instead.
 */
public final class SftReader {

    private static final String MESSAGES = "messages";
    private static final String PROMPT = "prompt";
    private static final String COMPLETION = "completion";
    private static final String PROMPT_IDS = "prompt_ids";
    private static final String COMPLETION_IDS = "completion_ids";

    private final ExampleTokenizer encoder;
    private final int vocabSize;
    private final Truncation truncation;
    private final boolean skipBadRows;

    /**
     * Creates a reader.
     *
     * @param tokenizer the tokenizer for text and message rows, or null when every row carries token ids
     * @param vocabSize the model's vocabulary size that every id must be below, or 0 when unknown
     * @param truncation the length limits
     */
    public SftReader(Tokenizer tokenizer, int vocabSize, Truncation truncation) {
        this(new ExampleTokenizer(tokenizer, vocabSize), vocabSize, Objects.requireNonNull(truncation, "truncation"),
                false);
    }

    private SftReader(ExampleTokenizer encoder, int vocabSize, Truncation truncation, boolean skipBadRows) {
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
    public static SftReader of(Tokenizer tokenizer, Truncation truncation) {
        return new SftReader(Objects.requireNonNull(tokenizer, "tokenizer"), tokenizer.vocabSize(), truncation);
    }

    /**
     * Reads a whole file or folder.
     *
     * @param path a dataset file or folder ({@link Datasets#open(Path)}); its name as given appears in errors
     * @return the examples kept and the rows not kept
     * @throws dev.dpo4j.data.io.DatasetException when the path cannot be read, and at the first bad row
     *     unless skipping bad rows
     */
    public ReadResult<SftExample> read(Path path) {
        return read(Datasets.open(path));
    }

    /**
     * Reads every row of a dataset.
     *
     * @param dataset the rows
     * @return the examples kept and the rows not kept
     * @throws dev.dpo4j.data.io.DatasetException at the first bad row, unless skipping bad rows
     */
    public ReadResult<SftExample> read(Dataset dataset) {
        return RowLoop.read(dataset, this::toExample, truncation::apply, e -> e.promptIds().length,
                truncation.maxLength(), skipBadRows);
    }

    /**
     * A reader like this one that records invalid rows in {@link ReadResult#badRows()} and goes on,
     * instead of failing at the first; for large public datasets where a few rows are broken (Anthropic
     * hh-rlhf has answers that are empty).
     *
     * @param skip {@code true} to skip and record bad rows, {@code false} (the default) to fail
     * @return the reader
     */
    public SftReader skipBadRows(boolean skip) {
        return new SftReader(encoder, vocabSize, truncation, skip);
    }

    /**
     * Tokenizes one row, without truncation.
     *
     * @param row the row
     * @return the example
     * @throws dev.dpo4j.data.io.DatasetException if the row is bad
     */
    public SftExample toExample(DataRow row) {
        if (TokenIds.hasAny(row, PROMPT_IDS, COMPLETION_IDS)) {
            return new SftExample(TokenIds.read(row, PROMPT_IDS, vocabSize), TokenIds.read(row, COMPLETION_IDS, vocabSize));
        }
        if (row.get(MESSAGES) != null) {
            return fromMessages(row);
        }
        if (!TokenIds.hasAny(row, PROMPT, COMPLETION)) {
            throw row.error("field 'messages' is missing: an SFT row needs 'messages', or 'prompt' and 'completion',"
                    + " or 'prompt_ids' and 'completion_ids'");
        }
        return encoder.sft(row, PROMPT, content(row, PROMPT), COMPLETION, content(row, COMPLETION));
    }

    private SftExample fromMessages(DataRow row) {
        List<ChatMessage> messages = messages(row, MESSAGES);
        int last = messages.size() - 1;
        while (last >= 0 && !"assistant".equals(messages.get(last).role())) {
            last--;
        }
        if (last < 0) {
            throw row.error("field 'messages' has no assistant message to train on");
        }
        if (last < messages.size() - 1) {
            throw row.error("field 'messages' continues after its last assistant message (message [" + last
                    + "]); an SFT conversation must end with the assistant's answer");
        }
        return encoder.sft(row, MESSAGES, Content.messages(messages.subList(0, last)), MESSAGES,
                Content.messages(List.of(messages.get(last))));
    }

    private static List<ChatMessage> messages(DataRow row, String field) {
        if (content(row, field) instanceof Content.Messages messages && !messages.messages().isEmpty()) {
            return messages.messages();
        }
        throw row.error("field '" + field + "' must be a non-empty list of {\"role\", \"content\"} messages");
    }

    private static Content content(DataRow row, String field) {
        JsonNode node = row.get(field);
        if (node == null) {
            throw row.error("field '" + field + "' is " + (row.value().has(field) ? "null" : "missing"));
        }
        try {
            return Content.fromJson(node, field);
        } catch (IllegalArgumentException e) {
            throw row.error(e.getMessage());
        }
    }
}
