package dev.dpo4j.data.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The scripted world the fake models play: articles {@code a00..}, the score each summary gets,
 * and which requests fail and how. Everything is a pure function of the article number and
 * {@code k}, so the tests compute the expected counts from this script alone, never from the
 * pipeline.
 */
final class SynthScript {

    /** How a request goes wrong, if it does. */
    enum Fault { NONE, FAIL, GARBAGE, SHORT }

    final int articles;
    final int n;
    final int k;
    final long seed;
    final boolean faults;

    SynthScript(int articles, int n, int k, long seed, boolean faults) {
        this.articles = articles;
        this.n = n;
        this.k = k;
        this.seed = seed;
        this.faults = faults;
    }

    static String id(int i) {
        return String.format("a%02d", i);
    }

    static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    /** The body contains a marker the judge prompt must never show. */
    List<Article> articleList() {
        List<Article> list = new ArrayList<>();
        for (int i = 0; i < articles; i++) {
            list.add(new Article(id(i), "Article [[" + id(i) + "]]. SECRET-BODY-" + id(i)
                    + " The council met on Tuesday and approved the budget.", "highlight " + i));
        }
        return list;
    }

    /** Correct answers of summary k of article i, in 0..n. */
    int score(int i, int kk) {
        return (i * 3 + kk * 7 + i * kk) % (n + 1);
    }

    /** The key of question q of article i. */
    static String key(int i, int q) {
        return String.valueOf("ABCD".charAt((i + q) % 4));
    }

    /** Article 7 gets the same summary text for every k. */
    static boolean identicalTexts(int i) {
        return i == 7;
    }

    Fault questionFault(int i) {
        if (!faults) {
            return Fault.NONE;
        }
        return i % 13 == 5 ? Fault.FAIL : i % 13 == 9 ? Fault.GARBAGE : i == 24 ? Fault.SHORT : Fault.NONE;
    }

    Fault summaryFault(int i, int kk) {
        if (!faults) {
            return Fault.NONE;
        }
        return i == 30 || (i * k + kk) % 11 == 3 ? Fault.FAIL : Fault.NONE;
    }

    Fault judgeFault(int i, int kk) {
        if (!faults) {
            return Fault.NONE;
        }
        return (i + 2 * kk) % 17 == 4 ? Fault.GARBAGE : (i + kk) % 19 == 2 ? Fault.FAIL : Fault.NONE;
    }

    /** The summary text of candidate kk. */
    String summaryText(int i, int kk) {
        return identicalTexts(i) ? "Summary of [[" + id(i) + "]]: the council approved it."
                : "Summary of [[" + id(i) + "]] candidate " + kk + ".";
    }

    /** Summaries of article i that get judged (question set and summary and judgement succeed). */
    List<Integer> judged(int i) {
        List<Integer> ks = new ArrayList<>();
        if (questionFault(i) != Fault.NONE) {
            return ks;
        }
        for (int kk = 0; kk < k; kk++) {
            if (summaryFault(i, kk) == Fault.NONE && judgeFault(i, kk) == Fault.NONE) {
                ks.add(kk);
            }
        }
        return ks;
    }

    /** Judgement requests the pipeline must send for article i: one per written summary. */
    int judgeRequests(int i) {
        if (questionFault(i) != Fault.NONE) {
            return 0;
        }
        int count = 0;
        for (int kk = 0; kk < k; kk++) {
            count += summaryFault(i, kk) == Fault.NONE ? 1 : 0;
        }
        return count;
    }

    /**
     * Pairs article i gives: g good and b bad judged summaries of distinct text give g·b pairs
     * under all-pairs and 1 (when g, b > 0) under threshold and best-vs-worst; identical texts
     * give none.
     */
    int expectedPairs(int i, String policy, int threshold) {
        if (identicalTexts(i)) {
            return 0;
        }
        int good = 0;
        int bad = 0;
        for (int kk : judged(i)) {
            if (score(i, kk) >= threshold) {
                good++;
            } else {
                bad++;
            }
        }
        if (policy.equals("all-pairs")) {
            return good * bad;
        }
        return good > 0 && bad > 0 ? 1 : 0;
    }

    /** Whether article i ends rejected: no question set, or nothing judged. */
    boolean rejected(int i) {
        return judged(i).isEmpty();
    }
}
