package dev.dpo4j.core.train.data;

import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * A preference row whose prompt was implicit, split into the shared prompt and the two completions, as
 * TRL's {@code extract_prompt} does for datasets such as Anthropic hh-rlhf, where {@code chosen} and
 * {@code rejected} are whole dialogues that differ only in the last answer.
 *
 * @param prompt the common start of both
 * @param chosen what follows the prompt in the chosen text or conversation
 * @param rejected what follows the prompt in the rejected one
 * @param <T> {@code String} or {@code List<ChatMessage>}
 */
public record ImplicitPrompt<T>(T prompt, T chosen, T rejected) {

    /** Checks that no part is null. */
    public ImplicitPrompt {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
    }

    /**
     * Splits two texts at their longest common prefix, moved back so the prompt ends at a word boundary.
     *
     * <p>TRL splits at the first differing character and hands a space just before it to the
     * completions ({@code "…Assistant: Sure"} / {@code "…Assistant: No"} gives the prompt
     * {@code "…Assistant:"} and completions {@code " Sure"} / {@code " No"}). This method does the same
     * and also never ends the prompt inside a word: when the texts diverge mid-word ({@code "I am happy"}
     * / {@code "I am hungry"}), or one of them ends at the divergence (so its completion would be empty),
     * the prompt moves back before the last whitespace run, which goes to the completions
     * ({@code "I am"} + {@code " happy"} / {@code " hungry"}). A divergence right after a word, at a
     * character that is not a letter or digit in one of the texts ({@code "Hi there"} / {@code "Hi."}),
     * is already a boundary. Tokenizers then see whole words on both sides. When the common prefix holds
     * no boundary the prompt is empty.
     *
     * @param chosen the preferred text, prompt included
     * @param rejected the other text, prompt included
     * @return the split; {@code prompt + chosen} and {@code prompt + rejected} give back the inputs
     */
    public static ImplicitPrompt<String> ofText(String chosen, String rejected) {
        int n = commonPrefixLength(chosen, rejected);
        if (!isWordBoundary(chosen, rejected, n)) {
            while (n > 0 && !Character.isWhitespace(chosen.charAt(n - 1))) {
                n--;
            }
            while (n > 0 && Character.isWhitespace(chosen.charAt(n - 1))) {
                n--;
            }
        }
        return new ImplicitPrompt<>(chosen.substring(0, n), chosen.substring(n), rejected.substring(n));
    }

    /**
     * Splits two conversations at their common leading messages (equal role and content), as TRL's
     * {@code extract_prompt}; at least one message of each stays a completion, so when one conversation
     * is a prefix of the other the prompt stops one message short of the shorter.
     *
     * @param chosen the preferred conversation, prompt messages included
     * @param rejected the other conversation
     * @return the split; the prompt is empty when the first messages differ
     */
    public static ImplicitPrompt<List<ChatMessage>> ofMessages(List<ChatMessage> chosen, List<ChatMessage> rejected) {
        int limit = Math.max(0, Math.min(chosen.size(), rejected.size()) - 1);
        int n = 0;
        while (n < limit && chosen.get(n).equals(rejected.get(n))) {
            n++;
        }
        return new ImplicitPrompt<>(List.copyOf(chosen.subList(0, n)), List.copyOf(chosen.subList(n, chosen.size())),
                List.copyOf(rejected.subList(n, rejected.size())));
    }

    /**
     * The length of the longest common prefix of several texts, never splitting a surrogate pair.
     *
     * @param first a text
     * @param others more texts
     * @return the number of leading chars all of them share
     */
    static int commonPrefixLength(String first, String... others) {
        int n = first.length();
        for (String other : others) {
            int limit = Math.min(n, other.length());
            int i = 0;
            while (i < limit && first.charAt(i) == other.charAt(i)) {
                i++;
            }
            n = i;
        }
        if (n > 0 && Character.isHighSurrogate(first.charAt(n - 1))) {
            n--;
        }
        return n;
    }

    private static boolean isWordBoundary(String chosen, String rejected, int n) {
        if (n == 0) {
            return true;
        }
        if (n >= chosen.length() || n >= rejected.length() || Character.isWhitespace(chosen.charAt(n - 1))) {
            return false;
        }
        return !Character.isLetterOrDigit(chosen.charAt(n)) || !Character.isLetterOrDigit(rejected.charAt(n));
    }
}
