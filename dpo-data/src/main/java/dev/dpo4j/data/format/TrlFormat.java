package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import java.util.List;
import java.util.Set;

/**
 * TRL's preference formats (<a href="https://huggingface.co/docs/trl/dataset_formats">TRL dataset
 * formats</a>): {@code prompt}, {@code chosen}, {@code rejected}, each a string ("standard") or a
 * list of {@code {"role", "content"}} messages ("conversational").
 *
 * <p>The prompt follows TRL's {@code maybe_extract_prompt}: a {@code prompt} column of the same
 * kind as {@code chosen} (both strings or both message lists) is the prompt; otherwise (no
 * {@code prompt} column, or a string prompt beside message-list answers that repeat it) the prompt
 * is extracted from {@code chosen} and {@code rejected} as their longest common prefix, as TRL's
 * {@code extract_prompt} does (see {@link ImplicitPrompt}). Conversational rows stay
 * message lists. Every other column is kept in the metadata.
 */
public final class TrlFormat extends NamedFormat {

    private static final String PROMPT = "prompt";
    private static final String CHOSEN = "chosen";
    private static final String REJECTED = "rejected";
    private static final Set<String> CONSUMED = Set.of(PROMPT, CHOSEN, REJECTED);

    /** Creates the adapter. */
    public TrlFormat() {
        super("trl", "TRL standard or conversational: chosen, rejected and an optional prompt, each a string or a"
                + " list of messages", List.of(CHOSEN, REJECTED));
    }

    @Override
    public PreferenceExample adapt(DataRow row) {
        Content chosen = RowFields.content(row, CHOSEN);
        Content rejected = RowFields.content(row, REJECTED);
        if (chosen.isConversational() != rejected.isConversational()) {
            throw row.error("field 'chosen' is " + kind(chosen) + " but field 'rejected' is " + kind(rejected)
                    + "; both must be strings or both lists of messages");
        }
        if (row.get(PROMPT) != null) {
            Content prompt = RowFields.content(row, PROMPT);
            if (prompt.isConversational() == chosen.isConversational()) {
                return new PreferenceExample(prompt, chosen, rejected, RowFields.metadata(row, CONSUMED),
                        row.location());
            }
        }
        ImplicitPrompt split = ImplicitPrompt.split(chosen, rejected);
        return new PreferenceExample(split.prompt(), split.chosen(), split.rejected(),
                RowFields.metadata(row, CONSUMED), row.location());
    }

    private static String kind(Content content) {
        return content.isConversational() ? "a list of messages" : "a string";
    }
}
