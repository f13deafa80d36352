package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.Question;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back the questions block that dpo-data's {@code QaJudge.formatQuestions} writes into the
 * answering prompt: numbered questions, each followed by its four options on their own lines.
 *
 * <pre>
 * 1. Which company announced the merger?
 *    A) Acme Corp
 *    B) Globex
 *    C) Initech
 *    D) Umbrella
 * 2. …
 * </pre>
 */
final class QuestionBlock {

    private static final Pattern QUESTION = Pattern.compile("(\\d+)\\.\\s+(.*)");
    private static final Pattern OPTION = Pattern.compile("([A-Z])\\)\\s+(.*)");

    private QuestionBlock() {
    }

    /**
     * The options of every question, in order.
     *
     * @param block the questions block
     * @return per question, its four options in letter order
     * @throws IllegalArgumentException naming the line or question that breaks the layout: a
     *     question out of sequence, an option before any question or out of letter order, a
     *     question without four options, or no question at all
     */
    static List<List<String>> parse(String block) {
        List<List<String>> questions = new ArrayList<>();
        List<String> current = null;
        String[] lines = block.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher option = OPTION.matcher(line);
            Matcher question = QUESTION.matcher(line);
            if (option.matches()) {
                if (current == null) {
                    throw new IllegalArgumentException("questions line " + (i + 1) + ": option before any question: "
                            + line);
                }
                char expected = current.size() < Question.LETTERS.length()
                        ? Question.LETTERS.charAt(current.size()) : '?';
                if (option.group(1).charAt(0) != expected) {
                    throw new IllegalArgumentException("questions line " + (i + 1) + ": expected option " + expected
                            + ") of question " + questions.size() + ", got: " + line);
                }
                current.add(option.group(2).strip());
            } else if (question.matches()) {
                checkComplete(current, questions.size());
                int number = Integer.parseInt(question.group(1));
                if (number != questions.size() + 1) {
                    throw new IllegalArgumentException("questions line " + (i + 1) + ": expected question "
                            + (questions.size() + 1) + ", got: " + line);
                }
                current = new ArrayList<>();
                questions.add(current);
            } else {
                throw new IllegalArgumentException("questions line " + (i + 1)
                        + " is neither a numbered question nor a lettered option: " + line);
            }
        }
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("the questions block holds no numbered question");
        }
        checkComplete(current, questions.size());
        return questions.stream().map(List::copyOf).toList();
    }

    private static void checkComplete(List<String> options, int number) {
        if (options != null && options.size() != Question.OPTIONS) {
            throw new IllegalArgumentException("question " + number + " has " + options.size() + " options, expected "
                    + Question.OPTIONS);
        }
    }
}
