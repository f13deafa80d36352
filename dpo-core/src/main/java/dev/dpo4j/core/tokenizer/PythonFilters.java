package dev.dpo4j.core.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python {@code str} and {@code dict} methods, and the Jinja2 filters whose Python behaviour differs
 * from Jinjava's, as Jinjava filters. The {@code py_*} filters are the targets of
 * {@link JinjaShims#preprocess}'s method rewrite ({@code x.strip()} → {@code (x|py_strip())});
 * {@code trim} follows Python's {@code str.strip}; {@code tojson} writes {@link PythonJson}.
 */
final class PythonFilters {

    private PythonFilters() {
    }

    /** A filter body: (value, positional args, keyword args) → result. */
    private interface Body {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    /**
     * Registers all filters on the engine's global context, replacing Jinjava's own {@code trim}
     * and {@code tojson}.
     *
     * @param jinjava the engine
     */
    static void register(Jinjava jinjava) {
        add(jinjava, "py_slice", (v, a, k) -> slice(v, index(a, 0), index(a, 1), index(a, 2)));
        add(jinjava, "py_str", (v, a, k) -> PythonRepr.str(v));
        add(jinjava, "py_iter", (v, a, k) -> v instanceof Map<?, ?> m ? new ArrayList<>(m.keySet()) : v);
        add(jinjava, "py_strip", (v, a, k) -> strip(str(v), arg(a, 0), true, true));
        add(jinjava, "trim", (v, a, k) -> strip(str(v), arg(a, 0), true, true));
        add(jinjava, "py_lstrip", (v, a, k) -> strip(str(v), arg(a, 0), true, false));
        add(jinjava, "py_rstrip", (v, a, k) -> strip(str(v), arg(a, 0), false, true));
        add(jinjava, "py_startswith", (v, a, k) -> affixes(a).stream().anyMatch(str(v)::startsWith));
        add(jinjava, "py_endswith", (v, a, k) -> affixes(a).stream().anyMatch(str(v)::endsWith));
        add(jinjava, "py_split", (v, a, k) -> split(str(v), arg(a, 0),
                a.length > 1 && a[1] != null ? ((Number) a[1]).intValue() : -1));
        add(jinjava, "py_upper", (v, a, k) -> str(v).toUpperCase(Locale.ROOT));
        add(jinjava, "py_lower", (v, a, k) -> str(v).toLowerCase(Locale.ROOT));
        add(jinjava, "py_title", (v, a, k) -> title(str(v)));
        add(jinjava, "py_capitalize", (v, a, k) -> str(v).isEmpty() ? ""
                : str(v).substring(0, 1).toUpperCase(Locale.ROOT) + str(v).substring(1).toLowerCase(Locale.ROOT));
        add(jinjava, "py_replace", (v, a, k) -> replace(str(v), arg(a, 0), arg(a, 1),
                a.length > 2 ? ((Number) a[2]).intValue() : -1));
        add(jinjava, "py_join", (v, a, k) -> join(str(v), a.length > 0 ? a[0] : List.of()));
        add(jinjava, "py_keys", (v, a, k) -> v instanceof Map<?, ?> m ? new ArrayList<>(m.keySet()) : List.of());
        add(jinjava, "py_get", (v, a, k) -> v instanceof Map<?, ?> m && m.containsKey(a[0]) ? m.get(a[0])
                : (a.length > 1 ? a[1] : null));
        add(jinjava, "tojson", (v, a, k) -> PythonJson.dumps(v,
                k.get("indent") instanceof Number n ? n.intValue() : a.length > 0 && a[0] instanceof Number n2 ? n2.intValue() : null,
                Boolean.TRUE.equals(k.get("sort_keys"))));
    }

    /**
     * Python's {@code seq[start:stop:step]} of a list or string (negative indices count from the end,
     * out-of-range bounds clip, a negative step walks backwards).
     */
    static Object slice(Object value, Integer start, Integer stop, Integer step) {
        List<?> items = value instanceof String s ? s.codePoints().mapToObj(Character::toString).toList()
                : value instanceof List<?> l ? l
                : value instanceof Collection<?> c ? new ArrayList<>(c)
                : null;
        if (items == null) {
            throw new ChatTemplateException("cannot slice " + (value == null ? "None" : value.getClass().getSimpleName()));
        }
        int n = items.size();
        int by = step == null ? 1 : step;
        if (by == 0) {
            throw new ChatTemplateException("slice step cannot be zero");
        }
        int from = bound(start, n, by > 0 ? 0 : n - 1, by);
        int to = bound(stop, n, by > 0 ? n : -1, by);
        List<Object> out = new ArrayList<>();
        for (int i = from; by > 0 ? i < to : i > to; i += by) {
            out.add(items.get(i));
        }
        if (value instanceof String) {
            return String.join("", out.stream().map(String::valueOf).toList());
        }
        return out;
    }

    /** A slice bound as CPython's {@code PySlice_AdjustIndices} clips it. */
    private static int bound(Integer index, int n, int fallback, int step) {
        if (index == null) {
            return fallback;
        }
        int i = index < 0 ? index + n : index;
        if (i < 0) {
            return step > 0 ? 0 : -1;
        }
        if (i >= n) {
            return step > 0 ? n : n - 1;
        }
        return i;
    }

    private static Integer index(Object[] args, int i) {
        if (args.length <= i || args[i] == null) {
            return null;
        }
        if (args[i] instanceof Number number) {
            return number.intValue();
        }
        String text = String.valueOf(args[i]).strip();
        return text.isEmpty() || text.equalsIgnoreCase("none") ? null : Integer.valueOf(text);
    }

    private static void add(Jinjava jinjava, String name, Body body) {
        jinjava.getGlobalContext().registerFilter(new Filter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return body.apply(var, args, Map.of());
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                return body.apply(var, args, kwargs);
            }
        });
    }

    private static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String arg(Object[] a, int i) {
        return a.length > i && a[i] != null ? a[i].toString() : null;
    }

    private static List<String> affixes(Object[] a) {
        if (a.length > 0 && a[0] instanceof Iterable<?> it) {
            List<String> out = new ArrayList<>();
            it.forEach(x -> out.add(str(x)));
            return out;
        }
        return List.of(a.length > 0 ? str(a[0]) : "");
    }

    private static boolean pySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static String strip(String s, String chars, boolean left, boolean right) {
        int from = 0;
        int to = s.length();
        while (left && from < to && (chars == null ? pySpace(s.charAt(from)) : chars.indexOf(s.charAt(from)) >= 0)) {
            from++;
        }
        while (right && to > from && (chars == null ? pySpace(s.charAt(to - 1)) : chars.indexOf(s.charAt(to - 1)) >= 0)) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Python {@code str.split(sep, maxsplit)}: without sep, runs of whitespace split and ends are dropped. */
    private static List<String> split(String s, String sep, int maxSplit) {
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && pySpace(s.charAt(i))) {
                    i++;
                }
                if (i == s.length()) {
                    return parts;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(strip(s.substring(i), null, false, true));
                    return parts;
                }
                int j = i;
                while (j < s.length() && !pySpace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new ChatTemplateException("Chat template called split('') (empty separator)");
        }
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0 && (maxSplit < 0 || parts.size() < maxSplit); at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (char c : s.toCharArray()) {
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement == null ? "" : replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            out.append(s, from, at).append(replacement);
            from = at + old.length();
        }
        return out.append(s.substring(from)).toString();
    }

    private static String join(String separator, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> it) {
            it.forEach(x -> parts.add(str(x)));
        } else if (items instanceof Object[] arr) {
            Arrays.stream(arr).forEach(x -> parts.add(str(x)));
        } else {
            str(items).chars().forEach(ch -> parts.add(String.valueOf((char) ch)));
        }
        return String.join(separator, parts);
    }
}
