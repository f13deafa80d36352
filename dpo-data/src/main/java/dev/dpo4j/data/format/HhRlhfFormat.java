package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import java.util.List;
import java.util.Set;

/**
 * Anthropic's helpful-harmless RLHF data (<a href="https://huggingface.co/datasets/Anthropic/hh-rlhf">Anthropic/hh-rlhf</a>):
 * columns {@code chosen} and {@code rejected}, each a whole transcript
 * {@code "\n\nHuman: …\n\nAssistant: …"}; there is no {@code prompt} column.
 *
 * <p>The prompt is implicit: the longest common prefix of the two transcripts, cut after the last
 * {@value #ASSISTANT_TAG} it contains (the tag included, as in TRL's hh-rlhf script). Chosen and
 * rejected are the remainders, so {@code prompt + chosen} rebuilds the {@code chosen} column
 * exactly. A row whose common prefix holds no {@value #ASSISTANT_TAG} is malformed. Any other
 * column is kept in the metadata.
 */
public final class HhRlhfFormat extends NamedFormat {

    /** The marker that ends the implicit prompt. */
    public static final String ASSISTANT_TAG = "\n\nAssistant:";

    private static final List<String> REQUIRED = List.of("chosen", "rejected");
    private static final Set<String> CONSUMED = Set.copyOf(REQUIRED);

    /** Creates the adapter. */
    public HhRlhfFormat() {
        super("hh-rlhf",
                "Anthropic hh-rlhf: chosen, rejected whole \"\\n\\nHuman: … \\n\\nAssistant: …\" transcripts, no prompt column",
                REQUIRED);
    }

    /** A row with string {@code chosen}/{@code rejected}, no {@code prompt}, and the tag in {@code chosen}. */
    @Override
    public boolean matches(DataRow row) {
        return RowFields.hasAll(row, REQUIRED) && !row.value().has("prompt")
                && row.value().get("chosen").isTextual() && row.value().get("chosen").asText().contains(ASSISTANT_TAG);
    }

    @Override
    public PreferenceExample adapt(DataRow row) {
        String chosen = RowFields.text(row, "chosen");
        String rejected = RowFields.text(row, "rejected");
        int n = Math.min(chosen.length(), rejected.length());
        int common = 0;
        while (common < n && chosen.charAt(common) == rejected.charAt(common)) {
            common++;
        }
        int tag = chosen.lastIndexOf(ASSISTANT_TAG, common - ASSISTANT_TAG.length());
        if (tag < 0) {
            throw row.error("'chosen' and 'rejected' share no \"\\n\\nAssistant:\" turn, so the prompt cannot be found"
                    + " (they differ from character " + common + ")");
        }
        int end = tag + ASSISTANT_TAG.length();
        return new PreferenceExample(Content.text(chosen.substring(0, end)), Content.text(chosen.substring(end)),
                Content.text(rejected.substring(end)), RowFields.metadata(row, CONSUMED), row.location());
    }
}
