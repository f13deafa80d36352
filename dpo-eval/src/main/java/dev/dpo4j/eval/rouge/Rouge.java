package dev.dpo4j.eval.rouge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L as Google's {@code rouge_score} package computes them with
 * {@code use_stemmer=False} (Lin 2004).
 *
 * <p>Tokens: the text is lowercased, every character outside {@code [a-z0-9]} becomes a
 * space, and the result is split on whitespace (so "Don't" gives "don" and "t", and
 * accented letters are dropped, as in {@code rouge_score.tokenize}). ROUGE-N counts the
 * candidate's n-grams that also occur in the reference, each clipped to its count there;
 * ROUGE-L takes the length of the longest common subsequence. Precision divides by the
 * candidate's n-gram count, recall by the reference's, F1 = 2PR/(P+R). An empty candidate or
 * reference scores 0 everywhere. Stateless and thread-safe.
 */
public final class Rouge {

    private Rouge() {
    }

    /**
     * Scores a candidate (model output) against a reference.
     *
     * @param candidate the generated text (rouge_score's "prediction")
     * @param reference the reference text (rouge_score's "target")
     * @return ROUGE-1, ROUGE-2 and ROUGE-L precision, recall and F1
     */
    public static RougeScore score(String candidate, String reference) {
        return score(tokens(candidate), tokens(reference));
    }

    /**
     * Scores already tokenized texts (see {@link #tokens(String)}).
     *
     * @param candidate the candidate's tokens
     * @param reference the reference's tokens
     * @return ROUGE-1, ROUGE-2 and ROUGE-L precision, recall and F1
     */
    public static RougeScore score(List<String> candidate, List<String> reference) {
        return new RougeScore(ngramScore(candidate, reference, 1), ngramScore(candidate, reference, 2),
                lcsScore(candidate, reference));
    }

    /**
     * Tokenizes as {@code rouge_score.tokenize} without a stemmer: lowercase, replace every
     * character outside {@code [a-z0-9]} with a space, split on whitespace.
     *
     * @param text the text; null is treated as empty
     * @return the tokens, possibly empty
     */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                token.append(c);
            } else if (token.length() > 0) {
                out.add(token.toString());
                token.setLength(0);
            }
        }
        if (token.length() > 0) {
            out.add(token.toString());
        }
        return out;
    }

    /**
     * Length of the longest common subsequence of two token lists (dynamic programming,
     * O(|a|·|b|) time, O(|b|) memory).
     *
     * @param a the first token list
     * @param b the second token list
     * @return the LCS length
     */
    public static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            String token = a.get(i - 1);
            for (int j = 1; j <= b.size(); j++) {
                current[j] = token.equals(b.get(j - 1))
                        ? previous[j - 1] + 1
                        : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    private static Prf ngramScore(List<String> candidate, List<String> reference, int n) {
        Map<List<String>, Integer> candidateCounts = ngrams(candidate, n);
        Map<List<String>, Integer> referenceCounts = ngrams(reference, n);
        int candidateTotal = Math.max(0, candidate.size() - n + 1);
        int referenceTotal = Math.max(0, reference.size() - n + 1);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> entry : candidateCounts.entrySet()) {
            overlap += Math.min(entry.getValue(), referenceCounts.getOrDefault(entry.getKey(), 0));
        }
        // rouge_score divides by max(count, 1), so an empty side gives 0 rather than NaN.
        return Prf.of((double) overlap / Math.max(candidateTotal, 1), (double) overlap / Math.max(referenceTotal, 1));
    }

    private static Prf lcsScore(List<String> candidate, List<String> reference) {
        if (candidate.isEmpty() || reference.isEmpty()) {
            return Prf.ZERO;
        }
        double lcs = lcsLength(reference, candidate);
        return Prf.of(lcs / candidate.size(), lcs / reference.size());
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }
}
