package dev.dpo4j.data.format;

import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * The one implicit-prompt rule of dpo4j, TRL's {@code extract_prompt}: a preference row without a
 * {@code prompt} holds it inside {@code chosen} and {@code rejected}, as their longest common start.
 * {@code data prepare}, {@code train} and the synthetic pipeline all split such rows here, so a row gives
 * the same prompt and completions whichever path it takes, and the ones TRL gives.
 *
 * <p>The rule, for texts (characters) and conversations (whole messages alike): the prompt ends at the
 * first element where the two differ; when the element before it is a space, the space goes to the
 * completions ({@code "…Assistant: Sure"} / {@code "…Assistant: No"} gives {@code "…Assistant:"} and
 * {@code " Sure"} / {@code " No"}). When one side is a prefix of the other, the prompt stops one element
 * short of the shorter side, so each completion keeps at least its last character or message
 * ({@code "A: yes"} / {@code "A: yes and more"} gives {@code "A: ye"}, {@code "s"} and
 * {@code "s and more"}). A divergence inside a word splits the word, exactly as TRL does
 * ({@code "I am happy"} / {@code "I am hungry"} gives {@code "I am h"}, {@code "appy"} and {@code "ungry"});
 * a row that should split elsewhere carries an explicit {@code prompt}. One departure, where TRL's
 * Python indexing would wrap around: texts that differ at their first character have an empty prompt,
 * and a split never falls inside a surrogate pair.
 *
 * <p>Layouts with a turn marker (Anthropic hh-rlhf) are converted by their own adapter
 * ({@link HhRlhfFormat}), as TRL's dataset scripts convert them; this rule is for TRL's implicit-prompt
 * rows.
 *
 * @param prompt the common start of both
 * @param chosen what follows the prompt in the chosen text or conversation
 * @param rejected what follows the prompt in the rejected one
 */
public record ImplicitPrompt(Content prompt, Content chosen, Content rejected) {

    /** Checks that no part is null. */
    public ImplicitPrompt {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
    }

    /**
     * Splits a pair whose prompt is implicit.
     *
     * @param chosen the preferred text or conversation, prompt included
     * @param rejected the other one, of the same kind
     * @return the split, each part of the kind of the inputs; {@code prompt + chosen} and
     *     {@code prompt + rejected} give back the inputs
     */
    public static ImplicitPrompt split(Content chosen, Content rejected) {
        if (chosen instanceof Content.Messages c && rejected instanceof Content.Messages r) {
            return ofMessages(c.messages(), r.messages());
        }
        return ofText(chosen.flatText(), rejected.flatText());
    }

    /**
     * Splits two texts by the rule in the class comment.
     *
     * @param chosen the preferred text, prompt included
     * @param rejected the other text
     * @return the split, three texts
     */
    public static ImplicitPrompt ofText(String chosen, String rejected) {
        int n = Math.min(chosen.length(), rejected.length());
        int at = 0;
        while (at < n && chosen.charAt(at) == rejected.charAt(at)) {
            at++;
        }
        if (at == n) {
            at = Math.max(0, n - 1);
        } else if (at > 0 && chosen.charAt(at - 1) == ' ') {
            at--;
        }
        if (at > 0 && Character.isHighSurrogate(chosen.charAt(at - 1))) {
            at--;
        }
        return new ImplicitPrompt(Content.text(chosen.substring(0, at)), Content.text(chosen.substring(at)),
                Content.text(rejected.substring(at)));
    }

    /**
     * Splits two conversations by the rule in the class comment: the prompt is their common leading
     * messages (equal role and content), at most all but the last of the shorter one.
     *
     * @param chosen the preferred conversation, prompt messages included
     * @param rejected the other conversation
     * @return the split, three message lists; the prompt is empty when the first messages differ
     */
    public static ImplicitPrompt ofMessages(List<ChatMessage> chosen, List<ChatMessage> rejected) {
        int limit = Math.max(0, Math.min(chosen.size(), rejected.size()) - 1);
        int at = 0;
        while (at < limit && chosen.get(at).equals(rejected.get(at))) {
            at++;
        }
        return new ImplicitPrompt(Content.messages(chosen.subList(0, at)),
                Content.messages(chosen.subList(at, chosen.size())), Content.messages(rejected.subList(at, rejected.size())));
    }

    /**
     * The length of the longest common prefix of several texts, never splitting a surrogate pair; the
     * boundary where a chat template's rendering of a prompt and of prompt plus answer part.
     *
     * @param first a text
     * @param others more texts
     * @return the number of leading chars all of them share
     */
    public static int commonPrefixLength(String first, String... others) {
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
}
