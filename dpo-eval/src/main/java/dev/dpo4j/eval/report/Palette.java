package dev.dpo4j.eval.report;

import java.util.List;

/**
 * The chart colours: Tableau 10, a palette designed to stay distinguishable for common
 * colour-vision deficiencies. Contender {@code i} has colour {@code i mod 10} in every chart.
 */
final class Palette {

    private static final List<String> COLOURS = List.of(
            "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
            "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

    /** Neutral grey for items that belong to no contender. */
    static final String NEUTRAL = "#8c8c8c";

    private Palette() {
    }

    /** The colour of the {@code index}-th contender or run; negative gives the neutral grey. */
    static String colour(int index) {
        return index < 0 ? NEUTRAL : COLOURS.get(index % COLOURS.size());
    }
}
