package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import java.util.List;
import java.util.Set;

/**
 * HuggingFaceH4's UltraFeedback binarized
 * (<a href="https://huggingface.co/datasets/HuggingFaceH4/ultrafeedback_binarized">ultrafeedback_binarized</a>,
 * splits {@code train_prefs}/{@code test_prefs}): columns {@code prompt} (string),
 * {@code prompt_id}, {@code chosen} and {@code rejected} (whole conversations, {@code [user,
 * assistant]}), {@code messages} (a copy of {@code chosen}, for SFT), {@code score_chosen},
 * {@code score_rejected}.
 *
 * <p>The example is conversational: the prompt is the turns {@code chosen} and {@code rejected}
 * share (the first user turn), chosen and rejected are their last assistant messages.
 * {@code prompt} and {@code messages} are consumed; {@code prompt_id}, {@code score_chosen},
 * {@code score_rejected} and any other column are kept in the metadata.
 */
public final class UltraFeedbackFormat extends NamedFormat {

    private static final List<String> REQUIRED = List.of("prompt", "chosen", "rejected", "score_chosen",
            "score_rejected");
    private static final Set<String> CONSUMED = Set.of("prompt", "chosen", "rejected", "messages");

    /** Creates the adapter. */
    public UltraFeedbackFormat() {
        super("ultrafeedback", "UltraFeedback binarized (HuggingFaceH4): prompt, chosen/rejected conversations, score_chosen,"
                + " score_rejected", REQUIRED);
    }

    @Override
    public PreferenceExample adapt(DataRow row) {
        RowFields.text(row, "prompt");
        return Conversations.lastTurnExample(row, name(), CONSUMED);
    }
}
