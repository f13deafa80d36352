package dev.dpo4j.data.format;

import dev.dpo4j.data.io.DataRow;
import java.util.List;
import java.util.Set;

/**
 * stack-exchange-paired
 * (<a href="https://huggingface.co/datasets/lvwerra/stack-exchange-paired">lvwerra/stack-exchange-paired</a>):
 * columns {@code qid}, {@code question}, {@code date}, {@code metadata} (a list of source URLs),
 * {@code response_j} (the preferred answer) and {@code response_k} (the other).
 *
 * <p>As in TRL's stack-llama DPO example, the prompt is
 * {@code "Question: " + question + "\n\nAnswer: "}, chosen is {@code response_j} and rejected is
 * {@code response_k}, all plain text. {@code qid}, {@code date}, {@code metadata} and any other
 * column are kept in the metadata (a non-object {@code metadata} column under the key
 * {@code metadata}).
 */
public final class StackExchangePairedFormat extends NamedFormat {

    /** Text before the question in the prompt. */
    public static final String QUESTION_PREFIX = "Question: ";
    /** Text after the question in the prompt. */
    public static final String ANSWER_PREFIX = "\n\nAnswer: ";

    private static final List<String> REQUIRED = List.of("question", "response_j", "response_k");
    private static final Set<String> CONSUMED = Set.copyOf(REQUIRED);

    /** Creates the adapter. */
    public StackExchangePairedFormat() {
        super("stack-exchange-paired",
                "stack-exchange-paired: question, response_j (preferred), response_k; prompt \"Question: …\\n\\nAnswer: \"",
                REQUIRED);
    }

    @Override
    public PreferenceExample adapt(DataRow row) {
        String question = RowFields.text(row, "question");
        String chosen = RowFields.text(row, "response_j");
        String rejected = RowFields.text(row, "response_k");
        return new PreferenceExample(Content.text(QUESTION_PREFIX + question + ANSWER_PREFIX),
                Content.text(chosen), Content.text(rejected), RowFields.metadata(row, CONSUMED), row.location());
    }
}
