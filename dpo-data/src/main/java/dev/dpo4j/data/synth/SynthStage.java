package dev.dpo4j.data.synth;

import java.util.Locale;

/** The three kinds of request the pipeline sends, as named in {@code rejects.jsonl}. */
public enum SynthStage {
    /** The judge writes an article's question set (one request per article). */
    QUESTIONS,
    /** The base model writes one candidate summary (one request per article and {@code k}). */
    SUMMARY,
    /** The judge answers the questions from one summary (one request per article and {@code k}). */
    JUDGEMENT;

    /**
     * The lower-case name used in files.
     *
     * @return {@code questions}, {@code summary} or {@code judgement}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a label written by {@link #label()}.
     *
     * @param label the label
     * @return the stage
     * @throws IllegalArgumentException for an unknown label
     */
    public static SynthStage fromLabel(String label) {
        for (SynthStage stage : values()) {
            if (stage.label().equals(label)) {
                return stage;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + label + "' (questions, summary, judgement)");
    }
}
