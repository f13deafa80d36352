package dev.dpo4j.examples.loopback;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A stand-in "summary": a few sentences picked from the prompt, in order. */
final class Extracts {

    private Extracts() {
    }

    /**
     * Picks one to four sentences of the text at random, keeping their order.
     *
     * @param text the prompt
     * @param random the source of randomness
     * @return the extract, or a fixed sentence when the text has none
     */
    static String of(String text, Random random) {
        List<String> sentences = new ArrayList<>();
        for (String s : text.split("(?<=[.!?])\\s+")) {
            if (s.length() > 20) {
                sentences.add(s.strip());
            }
        }
        if (sentences.isEmpty()) {
            return "Nothing to summarize.";
        }
        int want = Math.min(sentences.size(), 1 + random.nextInt(4));
        List<Integer> picks = new ArrayList<>();
        while (picks.size() < want) {
            int i = random.nextInt(sentences.size());
            if (!picks.contains(i)) {
                picks.add(i);
            }
        }
        picks.sort(null);
        StringBuilder sb = new StringBuilder();
        for (int i : picks) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(sentences.get(i));
        }
        return sb.toString();
    }
}
