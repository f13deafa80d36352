package dev.dpo4j.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The contenders and pairwise comparisons named on a {@code dpo4j evaluate} command line, parsed and
 * checked before any model is loaded: {@code --model} (contender {@code base} unless
 * {@code --no-base}), {@code --adapter NAME=DIR}, {@code --merged NAME=DIR},
 * {@code --endpoint NAME=MODEL@URL} and {@code --pairwise A:B}. Every error is one line naming the
 * flag and the value.
 *
 * @param contenders the contenders in report order: base, adapters, merged models, endpoints (each
 *     kind in the order given)
 * @param pairs the pairwise comparisons, in the order given
 */
record ContenderSpecs(List<Spec> contenders, List<Pair> pairs) {

    /** The name of the plain base model's contender. */
    static final String BASE = "base";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** What a contender is made of. */
    enum Kind {
        /** The base model ({@code --model}) as it is. */
        BASE,
        /** The base model with a PEFT adapter attached. */
        ADAPTER,
        /** A merged model folder or Hub id. */
        MERGED,
        /** An OpenAI-compatible endpoint. */
        ENDPOINT
    }

    /**
     * One contender.
     *
     * @param kind what it is made of
     * @param name its name in the journals and the report
     * @param source the model folder or Hub id (base, merged), the adapter folder (adapter) or the
     *     served model name (endpoint)
     * @param url the endpoint's base URL, or null for a local model
     */
    record Spec(Kind kind, String name, String source, String url) {
    }

    /**
     * Two contenders compared by the pairwise judge; wins are counted for {@code a}.
     *
     * @param a the first contender's name
     * @param b the second contender's name
     */
    record Pair(String a, String b) {
    }

    /**
     * Parses and checks the contender flags.
     *
     * @param model {@code --model}, or null
     * @param noBase {@code --no-base}
     * @param adapters {@code --adapter} values ({@code NAME=DIR})
     * @param merged {@code --merged} values ({@code NAME=DIR})
     * @param endpoints {@code --endpoint} values ({@code NAME=MODEL@URL})
     * @param pairwise {@code --pairwise} values ({@code A:B})
     * @return the contenders and pairs
     * @throws IllegalArgumentException one line naming the flag and the bad value
     */
    static ContenderSpecs parse(String model, boolean noBase, List<String> adapters, List<String> merged,
            List<String> endpoints, List<String> pairwise) {
        List<Spec> specs = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (!noBase) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("--model: required unless --no-base (the base model is contender '"
                        + BASE + "')");
            }
            add(specs, names, "--model", new Spec(Kind.BASE, BASE, model, null));
        }
        for (String value : adapters) {
            String[] nameDir = nameValue("--adapter", "NAME=DIR", value);
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("--adapter: contender '" + nameDir[0]
                        + "' needs --model (the base model the adapter was trained on)");
            }
            add(specs, names, "--adapter", new Spec(Kind.ADAPTER, nameDir[0], nameDir[1], null));
        }
        for (String value : merged) {
            String[] nameDir = nameValue("--merged", "NAME=DIR", value);
            add(specs, names, "--merged", new Spec(Kind.MERGED, nameDir[0], nameDir[1], null));
        }
        for (String value : endpoints) {
            add(specs, names, "--endpoint", endpoint(value));
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException(
                    "no contenders: give --model (without --no-base), --adapter, --merged or --endpoint");
        }
        return new ContenderSpecs(List.copyOf(specs), pairs(pairwise, names));
    }

    /**
     * The contenders' names.
     *
     * @return the names in report order
     */
    List<String> names() {
        return contenders.stream().map(Spec::name).toList();
    }

    private static Spec endpoint(String value) {
        String[] nameRest = nameValue("--endpoint", "NAME=MODEL@URL", value);
        int at = nameRest[1].indexOf('@');
        if (at <= 0 || at == nameRest[1].length() - 1) {
            throw new IllegalArgumentException("--endpoint: expected NAME=MODEL@URL, got '" + value + "'");
        }
        String served = nameRest[1].substring(0, at).trim();
        String url = nameRest[1].substring(at + 1).trim();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("--endpoint: the URL of contender '" + nameRest[0]
                    + "' must start with http:// or https://, got '" + url + "'");
        }
        return new Spec(Kind.ENDPOINT, nameRest[0], served, url);
    }

    /** Splits {@code NAME=VALUE} at the first {@code =}; both sides must be present. */
    private static String[] nameValue(String flag, String form, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1 || value.substring(eq + 1).isBlank()) {
            throw new IllegalArgumentException(flag + ": expected " + form + ", got '" + value + "'");
        }
        return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
    }

    private static void add(List<Spec> specs, Set<String> names, String flag, Spec spec) {
        String name = spec.name();
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(flag + ": contender name '" + name
                    + "' must match [A-Za-z0-9._-]+ (it names the journal files)");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException(flag + ": contender name '" + name + "' is already taken (contenders: "
                    + String.join(", ", names) + ")");
        }
        specs.add(spec);
    }

    private static List<Pair> pairs(List<String> values, Set<String> names) {
        List<Pair> pairs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String value : values) {
            String[] ab = value.split(":", -1);
            if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                throw new IllegalArgumentException(
                        "--pairwise: expected A:B (two contender names), got '" + value + "'");
            }
            String a = ab[0].trim();
            String b = ab[1].trim();
            for (String name : List.of(a, b)) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("--pairwise: unknown contender '" + name + "' (contenders: "
                            + String.join(", ", names) + ")");
                }
            }
            if (a.equals(b)) {
                throw new IllegalArgumentException("--pairwise: contender '" + a + "' cannot be compared with itself");
            }
            if (!seen.add(a + ":" + b) || seen.contains(b + ":" + a)) {
                throw new IllegalArgumentException("--pairwise: the pair " + a + ":" + b + " is given twice");
            }
            pairs.add(new Pair(a, b));
        }
        return List.copyOf(pairs);
    }
}
