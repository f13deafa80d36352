package dev.dpo4j.data.synth;

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
record SynthJournals(Journal questions, Journal summaries, Journal judgements, Journal rejects, Journal articles)
        implements AutoCloseable {

    /**
     * Opens the journals of a directory.
     *
     * @param files the directory's files
     * @return the journals
     */
    static SynthJournals open(SynthFiles files) {
        return new SynthJournals(Journal.open(files.questions()), Journal.open(files.summaries()),
                Journal.open(files.judgements()), Journal.open(files.rejects()), Journal.open(files.articles()));
    }

    /** Closes every journal; later appends throw. */
    @Override
    public void close() {
        for (Journal j : List.of(questions, summaries, judgements, rejects, articles)) {
            j.close();
        }
    }
}
