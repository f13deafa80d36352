package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import java.util.List;
import java.util.Set;

/**
 * argilla's cleaned UltraFeedback
 * (<a href="https://huggingface.co/datasets/argilla/ultrafeedback-binarized-preferences-cleaned">ultrafeedback-binarized-preferences-cleaned</a>):
 * columns {@code source}, {@code prompt} (string), {@code chosen} and {@code rejected} (whole
 * conversations, {@code [user, assistant]}), {@code chosen-rating}, {@code chosen-model},
 * {@code rejected-rating}, {@code rejected-model}.
 *
 * <p>The example is conversational: the prompt is the turns {@code chosen} and {@code rejected}
 * share (the first user turn), chosen and rejected are their last assistant messages.
 * {@code prompt} is consumed; the ratings, models, {@code source} and any other column are kept in
 * the metadata under their own names.
 */
public final class ArgillaFormat extends NamedFormat {

    private static final List<String> REQUIRED = List.of("prompt", "chosen", "rejected", "chosen-rating",
            "rejected-rating");
    private static final Set<String> CONSUMED = Set.of("prompt", "chosen", "rejected");

    /** Creates the adapter. */
    public ArgillaFormat() {
        super("argilla", "argilla ultrafeedback-binarized-preferences-cleaned: prompt, chosen/rejected conversations,"
                + " chosen-rating, rejected-rating (chosen-model, rejected-model, source kept)", REQUIRED);
    }

    @Override
    public PreferenceExample adapt(DataRow row) {
        RowFields.text(row, "prompt");
        return Conversations.lastTurnExample(row, name(), CONSUMED);
    }
}
