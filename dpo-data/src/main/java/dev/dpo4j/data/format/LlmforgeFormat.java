package dev.dpo4j.data.format;

import dev.dpo4j.data.PreferenceExample;
import dev.dpo4j.data.io.DataRow;
import java.util.List;
import java.util.Set;

/**
 * Anyscale llmforge preference-tuning rows.
 *
 * <p>What llmforge expects, from Anyscale's documentation and its DPO template
 * ({@code anyscale/templates}, {@code fine-tune-llm_v2/end-to-end-examples/fine-tune-preference}):
 * training data is JSONL in the OpenAI messages format. SFT rows carry one {@code messages}
 * conversation ({@code system}/{@code user}/{@code assistant} turns). Preference rows
 * ({@code task: preference_tuning}) carry {@code chosen} and {@code rejected}, each a whole
 * conversation (the template writes {@code [{"role": "user", …}, {"role": "assistant", …}]}) that
 * differs from the other only in its last assistant message; the template adds columns such as
 * {@code accuracy_chosen}, {@code num_words_rejected}.
 *
 * <p>So: the prompt is every message before the last (system and user turns included), which must
 * be the same in both; chosen and rejected are the last assistant messages; the example is
 * conversational; every other column is kept in the metadata. A {@code messages}-only row is
 * llmforge's SFT format and holds no preference pair: it does not match (auto-detection explains
 * this).
 */
public final class LlmforgeFormat extends NamedFormat {

    private static final List<String> REQUIRED = List.of("chosen", "rejected");
    private static final Set<String> CONSUMED = Set.copyOf(REQUIRED);

    /** Creates the adapter. */
    public LlmforgeFormat() {
        super("llmforge", "Anyscale llmforge preference rows: chosen, rejected whole conversations (OpenAI messages) that differ"
                + " only in the last assistant message, no prompt column", REQUIRED);
    }

    /** A row with message-list {@code chosen} and no {@code prompt} column. */
    @Override
    public boolean matches(DataRow row) {
        return RowFields.hasAll(row, REQUIRED) && !row.value().has("prompt") && row.value().get("chosen").isArray();
    }

    @Override
    public PreferenceExample adapt(DataRow row) {
        return Conversations.lastTurnExample(row, name(), CONSUMED);
    }
}
