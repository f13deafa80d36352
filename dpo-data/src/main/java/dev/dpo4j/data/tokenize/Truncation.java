package dev.dpo4j.data.tokenize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SftExample;
import java.util.Arrays;
import java.util.Optional;

/**
 * Length limits for tokenized training data, with the semantics of TRL's {@code DPOTrainer}
 * ({@code max_length}, {@code max_prompt_length}, {@code max_completion_length},
 * {@code truncation_mode}).
 *
 * <p>A preference pair is cut in two steps:
 * <ol>
 *   <li>the prompt is cut to {@code maxPromptLength} tokens: {@link TruncationMode#KEEP_END} keeps its
 *       last tokens (the question nearest the answer), {@link TruncationMode#KEEP_START} its first;</li>
 *   <li>each completion is cut, keeping its start, to the room left:
 *       {@code maxLength - prompt tokens}, and at most {@code maxCompletionLength} when that is set. So
 *       {@code prompt + chosen <= maxLength} and {@code prompt + rejected <= maxLength}. A completion cut
 *       this way loses its EOS token, as in TRL.</li>
 * </ol>
 * Because {@code maxPromptLength < maxLength} is required, step 2 always leaves a completion token
 * unless the prompt limit is off ({@code maxPromptLength = 0}) and the prompt alone fills
 * {@code maxLength}; such a pair is <em>dropped</em>: {@link #apply(PreferencePair)} returns empty and
 * the readers count and report it (see {@link ReadResult#dropped()}), since a pair with no completion
 * token carries no preference.
 *
 * <p>An SFT example is cut as TRL's {@code SFTTrainer} cuts a sequence: {@code prompt + completion}
 * keeps its first {@code maxLength} tokens (and the completion at most {@code maxCompletionLength} when
 * set); the prompt limit and the mode do not apply. If that leaves no completion token (the prompt alone
 * fills {@code maxLength}) the example is dropped.
 *
 * @param maxLength the most tokens of prompt plus one completion, TRL {@code max_length}; default 1024
 * @param maxPromptLength the most prompt tokens, TRL {@code max_prompt_length}; default 0, no
 *     separate prompt limit; must be below {@code maxLength} so a cut prompt leaves room for an answer
 * @param maxCompletionLength the most tokens of each completion, TRL {@code max_completion_length}; 0
 *     (the default) derives it as {@code maxLength - prompt tokens}
 * @param mode which end of an over-long prompt to keep, TRL {@code truncation_mode}; default
 *     {@link TruncationMode#KEEP_END}
 */
public record Truncation(
        @JsonProperty("max_length") int maxLength,
        @JsonProperty("max_prompt_length") int maxPromptLength,
        @JsonProperty("max_completion_length") int maxCompletionLength,
        @JsonProperty("truncation_mode") TruncationMode mode) {

    /** TRL's default {@code max_length}. */
    public static final int DEFAULT_MAX_LENGTH = 1024;

    /** The default {@code max_prompt_length}: none, as in TRL 1.x (TRL 0.x had 512). */
    public static final int DEFAULT_MAX_PROMPT_LENGTH = 0;

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException naming the TRL field that is out of range
     * @throws NullPointerException when {@code mode} is null
     */
    public Truncation {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max_length must be at least 2 (one prompt and one completion token), got "
                    + maxLength);
        }
        if (maxPromptLength < 0 || maxPromptLength >= maxLength) {
            throw new IllegalArgumentException("max_prompt_length must be in [0, max_length) = [0, " + maxLength
                    + ") so that a truncated prompt leaves room for a completion (0 = no prompt limit), got "
                    + maxPromptLength);
        }
        if (maxCompletionLength < 0) {
            throw new IllegalArgumentException("max_completion_length must be >= 0 (0 = max_length minus the prompt), got "
                    + maxCompletionLength);
        }
        if (mode == null) {
            throw new NullPointerException("truncation_mode must not be null (keep_end or keep_start)");
        }
    }

    /**
     * Reads the limits from a config where any field may be absent; an absent field takes TRL's default.
     *
     * @param maxLength {@code max_length}, or null for 1024
     * @param maxPromptLength {@code max_prompt_length}, or null for none (TRL 1.x)
     * @param maxCompletionLength {@code max_completion_length}, or null for 0 (derived)
     * @param mode {@code truncation_mode}, or null for {@code keep_end}
     * @return the validated limits
     */
    @JsonCreator
    public static Truncation fromConfig(
            @JsonProperty("max_length") Integer maxLength,
            @JsonProperty("max_prompt_length") Integer maxPromptLength,
            @JsonProperty("max_completion_length") Integer maxCompletionLength,
            @JsonProperty("truncation_mode") TruncationMode mode) {
        int length = maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
        int prompt = maxPromptLength != null ? maxPromptLength : DEFAULT_MAX_PROMPT_LENGTH;
        return new Truncation(length, prompt, maxCompletionLength == null ? 0 : maxCompletionLength,
                mode == null ? TruncationMode.KEEP_END : mode);
    }

    /**
     * TRL 1.x's defaults: {@code max_length} 1024, no separate prompt limit (a pair keeps the start of
     * prompt + completion), completion length derived, {@code keep_end} for a prompt limit set later.
     *
     * @return the default limits
     */
    public static Truncation defaults() {
        return new Truncation(DEFAULT_MAX_LENGTH, DEFAULT_MAX_PROMPT_LENGTH, 0, TruncationMode.KEEP_END);
    }

    /**
     * Limits with a derived completion length and {@code keep_end}.
     *
     * @param maxLength {@code max_length}
     * @param maxPromptLength {@code max_prompt_length} (0 = none)
     * @return the limits
     */
    public static Truncation of(int maxLength, int maxPromptLength) {
        return new Truncation(maxLength, maxPromptLength, 0, TruncationMode.KEEP_END);
    }

    /**
     * A copy with another {@code max_completion_length}.
     *
     * @param tokens the most tokens of each completion; 0 = derived
     * @return the new limits
     */
    public Truncation withMaxCompletionLength(int tokens) {
        return new Truncation(maxLength, maxPromptLength, tokens, mode);
    }

    /**
     * A copy with another {@code truncation_mode}.
     *
     * @param newMode which end of a long prompt to keep
     * @return the new limits
     */
    public Truncation withMode(TruncationMode newMode) {
        return new Truncation(maxLength, maxPromptLength, maxCompletionLength, newMode);
    }

    /**
     * The most completion tokens that fit after a prompt of the given length.
     *
     * @param promptTokens the prompt's length after any prompt truncation
     * @return {@code min(maxLength - promptTokens, maxCompletionLength)} (the latter only when set); zero or
     *     less means the prompt leaves no room
     */
    public int completionBudget(int promptTokens) {
        int room = maxLength - promptTokens;
        return maxCompletionLength > 0 ? Math.min(room, maxCompletionLength) : room;
    }

    /**
     * Cuts a preference pair as described in the class comment.
     *
     * @param pair the tokenized pair
     * @return the pair within the limits (the same instance when nothing was cut), or empty when the prompt
     *     leaves no room for a completion token
     */
    public Optional<PreferencePair> apply(PreferencePair pair) {
        long[] prompt = cutPrompt(pair.promptIds());
        int budget = completionBudget(prompt.length);
        if (budget <= 0) {
            return Optional.empty();
        }
        long[] chosen = keepStart(pair.chosenIds(), budget);
        long[] rejected = keepStart(pair.rejectedIds(), budget);
        if (prompt == pair.promptIds() && chosen == pair.chosenIds() && rejected == pair.rejectedIds()) {
            return Optional.of(pair);
        }
        return Optional.of(new PreferencePair(prompt, chosen, rejected));
    }

    /**
     * Cuts an SFT example as described in the class comment: the sequence keeps its start.
     *
     * @param example the tokenized example
     * @return the example within the limits (the same instance when nothing was cut), or empty when the
     *     prompt alone fills {@code maxLength}
     */
    public Optional<SftExample> apply(SftExample example) {
        int budget = completionBudget(example.promptIds().length);
        if (budget <= 0) {
            return Optional.empty();
        }
        long[] completion = keepStart(example.completionIds(), budget);
        return Optional.of(completion == example.completionIds() ? example
                : new SftExample(example.promptIds(), completion));
    }

    private long[] cutPrompt(long[] prompt) {
        if (maxPromptLength == 0 || prompt.length <= maxPromptLength) {
            return prompt;
        }
        return mode == TruncationMode.KEEP_END
                ? Arrays.copyOfRange(prompt, prompt.length - maxPromptLength, prompt.length)
                : Arrays.copyOf(prompt, maxPromptLength);
    }

    private static long[] keepStart(long[] ids, int budget) {
        return ids.length <= budget ? ids : Arrays.copyOf(ids, budget);
    }
}
