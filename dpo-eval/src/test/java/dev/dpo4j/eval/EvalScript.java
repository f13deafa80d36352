package dev.dpo4j.eval;

import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.SynthConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The scripted world the fake models play: articles {@code a00..}, how many of an article's
 * questions each contender's output lets the judge answer ({@link #knows}), how long each output
 * is, and which logical requests fail. Everything is a pure function of the contender and the
 * article number, so the tests compute the expected report values from this script alone.
 *
 * <p>Logical request keys: {@code Q|a03} (questions), {@code G|base|a03} (generation),
 * {@code QA|base|a03} (QA judgement of base's output), {@code P|dpo|base|a03} (pairwise, dpo's
 * output shown first).
 */
final class EvalScript {

    /** Questions per article (the SynthConfig default). */
    static final int QUESTIONS = 5;

    final int items;
    final Set<String> faults;

    EvalScript(int items, Set<String> faults) {
        this.items = items;
        this.faults = faults;
    }

    EvalScript(int items) {
        this(items, Set.of());
    }

    static String id(int i) {
        return String.format("a%02d", i);
    }

    static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    Article article(int i) {
        return new Article(id(i), "Article [[" + id(i) + "]]. The council met on Tuesday and approved budget " + i + ".",
                "council approved budget " + i);
    }

    List<EvalItem> summarizationItems(SynthConfig config) {
        List<EvalItem> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(EvalItem.summarization(article(i), config));
        }
        return list;
    }

    /** The key of question q of article i. */
    static String key(int i, int q) {
        return String.valueOf("ABCD".charAt((i + q) % 4));
    }

    /** How many questions (0..5) the judge answers right from the contender's output of article i. */
    static int knows(String contender, int i) {
        return switch (contender) {
            case "base" -> i % 6;
            case "dpo" -> (2 * i + 1) % 6;
            default -> (i + 3) % 6;
        };
    }

    /** Filler words after the output's head, so lengths differ. */
    static int filler(String contender, int i) {
        return switch (contender) {
            case "base" -> 2 + i % 3;
            case "dpo" -> 1 + (5 * i) % 4;
            default -> 3;
        };
    }

    /** The output of a contender for article i: its name first, then the facts it holds, then filler. */
    static String output(String contender, int i) {
        return contender + " on [[" + id(i) + "]] knows=" + knows(contender, i) + " " + "word ".repeat(filler(contender, i))
                .strip();
    }

    /** The QA score the judge gives: the first {@code knows} questions answered right, the rest "X". */
    static int score(String contender, int i) {
        return Math.min(knows(contender, i), QUESTIONS);
    }
}
