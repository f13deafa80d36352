package dev.dpo4j.data.synth;

import dev.dpo4j.core.io.JsonlJournal;
import java.util.List;

/**
 * The five journals of a run, opened for appending (each repaired first when a kill cut its last
 * line short).
 *
 * @param questions {@code questions.jsonl}
 * @param summaries {@code summaries.jsonl}
 * @param judgements {@code judgements.jsonl}
 * @param rejects {@code rejects.jsonl}
 * @param articles {@code articles.jsonl}
 */
record SynthJournals(JsonlJournal questions, JsonlJournal summaries, JsonlJournal judgements, JsonlJournal rejects,
        JsonlJournal articles) implements AutoCloseable {

    /**
     * Opens the journals of a directory.
     *
     * @param files the directory's files
     * @return the journals
     */
    static SynthJournals open(SynthFiles files) {
        return new SynthJournals(JsonlJournal.open(files.questions()), JsonlJournal.open(files.summaries()),
                JsonlJournal.open(files.judgements()), JsonlJournal.open(files.rejects()),
                JsonlJournal.open(files.articles()));
    }

    /** Closes every journal; later appends throw. */
    @Override
    public void close() {
        for (JsonlJournal j : List.of(questions, summaries, judgements, rejects, articles)) {
            j.close();
        }
    }
}
