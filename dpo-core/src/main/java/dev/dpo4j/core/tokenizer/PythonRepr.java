package dev.dpo4j.core.tokenizer;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Python's {@code str()} of a template value, which is what Jinja2 prints for {@code {{ value }}}:
 * {@code True} / {@code False}, and dicts and lists in Python's {@code repr} layout
 * ({@code {'a': 1, 'b': [True, None]}}), with strings inside containers quoted as {@code repr} quotes
 * them (single quotes unless the text holds a single quote and no double quote; {@code \\}, {@code \n},
 * {@code \r}, {@code \t} and other control characters escaped). A top-level string prints as is.
 */
final class PythonRepr {

    private PythonRepr() {
    }

    /**
     * The text Jinja2 prints for a value.
     *
     * @param value a value produced by the template
     * @return the printed text, or the value itself when Jinjava's own printing already matches
     *     (strings, integers, null)
     */
    static Object str(Object value) {
        if (value instanceof Boolean || value instanceof Map<?, ?> || value instanceof Iterable<?>
                || value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            StringBuilder out = new StringBuilder();
            repr(out, value);
            return out.toString();
        }
        return value;
    }

    private static void repr(StringBuilder out, Object value) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            out.append(PythonJson.pythonFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(separator);
                repr(out, e.getKey());
                out.append(": ");
                repr(out, e.getValue());
                separator = ", ";
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            String separator = "";
            for (Object item : items) {
                out.append(separator);
                repr(out, item);
                separator = ", ";
            }
            out.append(']');
        } else {
            quote(out, value.toString());
        }
    }

    /** Python's {@code repr(str)}. */
    private static void quote(StringBuilder out, String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == q) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append(q);
    }
}
