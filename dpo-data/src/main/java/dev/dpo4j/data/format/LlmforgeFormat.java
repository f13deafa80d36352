package dev.dpo4j.data.format;

import dev.dpo4j.core.tokenizer.ChatMessage;
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

    private static final TrlFormat TRL = new TrlFormat();

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

    /**
     * Splits the two conversations by the one implicit-prompt rule ({@link ImplicitPrompt}, TRL's): on rows
     * that share every message before the last, as llmforge writes them, that is the last-turn split; a
     * conversation that differs earlier, as TRL's implicit-prompt rows may, splits where TRL splits it. A
     * row with a {@code prompt} column (llmforge writes none; a TRL file may mix both forms) is read as TRL
     * reads it.
     */
    @Override
    public PreferenceExample adapt(DataRow row) {
        if (row.get("prompt") != null) {
            return TRL.adapt(row);
        }
        List<ChatMessage> chosen = RowFields.messages(row, "chosen", name());
        List<ChatMessage> rejected = RowFields.messages(row, "rejected", name());
        Conversations.checkEndsWithAssistant(row, "chosen", chosen);
        Conversations.checkEndsWithAssistant(row, "rejected", rejected);
        ImplicitPrompt split = ImplicitPrompt.ofMessages(chosen, rejected);
        return new PreferenceExample(split.prompt(), split.chosen(), split.rejected(), RowFields.metadata(row, CONSUMED),
                row.location());
    }
}
