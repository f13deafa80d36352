package dev.dpo4j.core.safetensors;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * Builds the "available tensors" part of a missing-tensor error: the few names that share the
 * longest prefix with the requested one, so a typo or a wrong layer prefix is easy to spot.
 */
final class NameSuggestions {

    /** How many names a message lists. */
    static final int LIMIT = 5;

    private NameSuggestions() {
    }

    /**
     * Describes the closest available names to a requested one.
     *
     * @param requested the name that was not found
     * @param available all names that exist
     * @return e.g. {@code "3 tensors available, closest: a.weight, a.bias"}
     */
    static String describe(String requested, Collection<String> available) {
        if (available.isEmpty()) {
            return "no tensors available";
        }
        String closest = available.stream()
                .sorted(Comparator.comparingInt((String n) -> -commonPrefix(requested, n))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(LIMIT)
                .collect(Collectors.joining(", "));
        return available.size() + " tensors available, closest: " + closest;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
