package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.QaJudge;
import dev.dpo4j.data.synth.Question;
import dev.dpo4j.data.synth.QuestionSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded judge's reading rule: what a text tells its reader about a multiple-choice question.
 *
 * <p>An option is <em>stated</em> by a text when the option's words occur in it as a whole-word
 * phrase, ignoring case and the amount of whitespace between words: "March 3" is stated by
 * "on march  3 ," but not by "March 30", and "Lyon" not by "Lyonnais". A match that lies inside a
 * longer option's match does not count, so a text saying "New York" states "New York" and not also
 * the option "York". A question is answered with the letter of the one option the text states;
 * when it states none, or more than one (the text does not tell the reader which), the answer is
 * {@value QaJudge#NOT_IN_SUMMARY}.
 *
 * <p>This is the deterministic stand-in for an LLM answering the questions from the summary alone,
 * as QAGS (Wang et al. 2020) and the llmforge summarization recipe do.
 */
public final class FactMatcher {

    /** Letters, digits and the underscore: characters that continue a word. */
    private static final String WORD_CHAR = "[\\p{L}\\p{N}_]";

    private FactMatcher() {
    }

    /**
     * Whether a text states a phrase as whole words.
     *
     * @param text the text (a summary)
     * @param phrase one or more words
     * @return true when the phrase occurs with a non-word character or the text's edge on each side
     * @throws IllegalArgumentException when the phrase is blank
     */
    public static boolean states(String text, String phrase) {
        return !spans(text, phrase).isEmpty();
    }

    /**
     * The letter a reader of {@code text} would choose for a question, by the rule above.
     *
     * @param text the text (a summary)
     * @param options the question's options, in letter order A, B, …
     * @return {@code "A"}–{@code "D"}, or {@value QaJudge#NOT_IN_SUMMARY} when the text states no
     *     option or more than one
     * @throws IllegalArgumentException when an option is blank or there are more options than letters
     */
    public static String answer(String text, List<String> options) {
        Objects.requireNonNull(text, "text");
        if (options.size() > Question.LETTERS.length()) {
            throw new IllegalArgumentException("at most " + Question.LETTERS.length() + " options, got "
                    + options.size());
        }
        List<List<int[]>> spans = new ArrayList<>(options.size());
        for (String option : options) {
            spans.add(spans(text, option));
        }
        int stated = -1;
        for (int i = 0; i < options.size(); i++) {
            if (hasOwnMatch(i, spans)) {
                if (stated >= 0) {
                    return QaJudge.NOT_IN_SUMMARY;
                }
                stated = i;
            }
        }
        return stated < 0 ? QaJudge.NOT_IN_SUMMARY : String.valueOf(Question.LETTERS.charAt(stated));
    }

    /**
     * The letter a reader of {@code text} would choose for a question.
     *
     * @param text the text (a summary)
     * @param question the question
     * @return as {@link #answer(String, List)}
     */
    public static String answer(String text, Question question) {
        return answer(text, question.options());
    }

    /**
     * The letters a reader of {@code text} would choose for each question.
     *
     * @param text the text (a summary)
     * @param questions the questions
     * @return one letter per question, in order
     */
    public static List<String> answers(String text, QuestionSet questions) {
        List<String> letters = new ArrayList<>(questions.size());
        for (Question q : questions.questions()) {
            letters.add(answer(text, q));
        }
        return List.copyOf(letters);
    }

    /**
     * How many questions a reader of {@code text} answers correctly: the QA score of a summary.
     *
     * @param text the text (a summary)
     * @param questions the questions with their keys
     * @return the number of answers equal to the key, from 0 to {@code questions.size()}
     */
    public static int correctCount(String text, QuestionSet questions) {
        int correct = 0;
        for (Question q : questions.questions()) {
            if (answer(text, q).equals(q.answer())) {
                correct++;
            }
        }
        return correct;
    }

    /** True when option {@code i} has a match not strictly inside a longer match of another option. */
    private static boolean hasOwnMatch(int i, List<List<int[]>> spans) {
        for (int[] own : spans.get(i)) {
            boolean covered = false;
            for (int j = 0; j < spans.size() && !covered; j++) {
                if (j == i) {
                    continue;
                }
                for (int[] other : spans.get(j)) {
                    boolean inside = other[0] <= own[0] && own[1] <= other[1];
                    if (inside && other[1] - other[0] > own[1] - own[0]) {
                        covered = true;
                        break;
                    }
                }
            }
            if (!covered) {
                return true;
            }
        }
        return false;
    }

    /** Every whole-word occurrence of the phrase, as {start, end} character offsets. */
    private static List<int[]> spans(String text, String phrase) {
        Matcher m = pattern(phrase).matcher(text);
        List<int[]> spans = new ArrayList<>();
        int from = 0;
        while (from <= text.length() && m.find(from)) {
            spans.add(new int[] {m.start(), m.end()});
            from = m.start() + 1;
        }
        return spans;
    }

    private static boolean isWordChar(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || codePoint == '_';
    }

    /** The phrase's words, quoted, joined by any whitespace, between word boundaries. */
    private static Pattern pattern(String phrase) {
        Objects.requireNonNull(phrase, "phrase");
        String[] words = phrase.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("an option to look for must not be blank");
        }
        StringBuilder regex = new StringBuilder();
        if (isWordChar(words[0].codePointAt(0))) {
            regex.append("(?<!").append(WORD_CHAR).append(')');
        }
        for (int w = 0; w < words.length; w++) {
            regex.append(w == 0 ? "" : "\\s+").append(Pattern.quote(words[w]));
        }
        String last = words[words.length - 1];
        if (isWordChar(last.codePointBefore(last.length()))) {
            regex.append("(?!").append(WORD_CHAR).append(')');
        }
        return Pattern.compile(regex.toString(),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    }
}
