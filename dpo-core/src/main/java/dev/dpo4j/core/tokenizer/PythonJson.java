package dev.dpo4j.core.tokenizer;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serializes template values exactly as Python's {@code json.dumps(value, ensure_ascii=False,
 * indent=indent, sort_keys=sortKeys)} does, which is what the {@code tojson} filter of
 * {@code transformers}' chat-template environment calls. The differences from a Java JSON writer
 * that matter for byte-exact prompts: items are separated by {@code ", "} and keys by {@code ": "}
 * when no indent is given (by {@code ","} and {@code ": "} with an indent), non-ASCII text is
 * written as is, control characters become {@code \\u00XX} in lower-case hex, and floats follow
 * Python's {@code repr} ({@code 1.0}, {@code 1e-05}, {@code 1e+16}).
 */
final class PythonJson {

    private PythonJson() {
    }

    /**
     * Writes a value as Python's {@code json.dumps} would.
     *
     * @param value a map, iterable, array, string, number, boolean or null
     * @param indent spaces per nesting level, or null for the single-line form
     * @param sortKeys whether object keys are sorted
     * @return the JSON text
     */
    static String dumps(Object value, Integer indent, boolean sortKeys) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, sortKeys, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, Integer indent, boolean sortKeys, int level) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(pythonFloat(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            out.append(pythonFloat(d.doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
        } else if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (sortKeys) {
                entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
            }
            List<Object> keysAndValues = new ArrayList<>();
            for (Map.Entry<?, ?> e : entries) {
                keysAndValues.add(e.getKey());
                keysAndValues.add(e.getValue());
            }
            writeContainer(out, keysAndValues, true, indent, sortKeys, level);
        } else if (value instanceof Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(list::add);
            writeContainer(out, list, false, indent, sortKeys, level);
        } else if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            writeContainer(out, list, false, indent, sortKeys, level);
        } else {
            writeString(out, value.toString());
        }
    }

    /** Writes a list ({@code isObject} false) or an object given as alternating keys and values. */
    private static void writeContainer(StringBuilder out, List<Object> items, boolean isObject,
            Integer indent, boolean sortKeys, int level) {
        out.append(isObject ? '{' : '[');
        int step = isObject ? 2 : 1;
        for (int i = 0; i < items.size(); i += step) {
            if (i > 0) {
                out.append(indent == null ? ", " : ",");
            }
            if (indent != null) {
                out.append('\n').append(" ".repeat(indent * (level + 1)));
            }
            if (isObject) {
                Object key = items.get(i);
                writeString(out, key instanceof Boolean b ? (b ? "true" : "false") : String.valueOf(key));
                out.append(": ");
                write(out, items.get(i + 1), indent, sortKeys, level + 1);
            } else {
                write(out, items.get(i), indent, sortKeys, level + 1);
            }
        }
        if (indent != null && !items.isEmpty()) {
            out.append('\n').append(" ".repeat(indent * level));
        }
        out.append(isObject ? '}' : ']');
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's {@code repr(float)}: shortest digits, plain for exponents in [-4, 16), else {@code 1e+16}. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = d < 0 ? "-" : "";
        String expSign = exponent < 0 ? "-" : "+";
        return sign + mantissa + "e" + expSign + String.format("%02d", Math.abs(exponent));
    }
}
