package dev.dpo4j.core.tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The expression rewrites of the chat-template pre-pass ({@link JinjaShims#preprocess}): Python
 * methods to {@code py_*} filters, Jinja2's precedence for prefix {@code not}, and the scan for the
 * filters a template uses. Each works on the code inside one {@code {% %}} or {@code {{ }}} tag and
 * skips string literals.
 */
final class JinjaExpressions {
    /** Python methods rewritten to {@code py_*} filters by the pre-pass. */
    static final Set<String> PY_METHODS = Set.of("strip", "lstrip", "rstrip", "startswith", "endswith",
            "split", "upper", "lower", "title", "capitalize", "replace", "join", "keys", "get");

    /** Words that end the operand of a prefix {@code not} (Jinja2 binds {@code not} tighter only than these). */
    private static final Set<String> NOT_OPERAND_STOPS = Set.of("and", "or", "if", "else", "recursive");

    private JinjaExpressions() {
    }

    /** Index just after the string literal that starts at {@code start}. */
    static int endOfString(String s, int start) {
        char q = s.charAt(start);
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    /** Rewrites {@code recv.method(args)} to {@code (recv|py_method(args))} outside string literals. */
    static String rewriteMethods(String code) {
        return rewriteOutsideStrings(code, (src, i, b) -> {
            if (src.charAt(i) != '.') {
                return -1;
            }
            int j = i + 1;
            while (j < src.length() && isIdent(src.charAt(j))) {
                j++;
            }
            String name = src.substring(i + 1, j);
            int k = j;
            while (k < src.length() && src.charAt(k) == ' ') {
                k++;
            }
            int receiverStart = receiverStart(b);
            if (!PY_METHODS.contains(name) || k >= src.length() || src.charAt(k) != '(' || receiverStart >= b.length()) {
                return -1;
            }
            int close = matchParen(src, k);
            String receiver = b.substring(receiverStart);
            b.setLength(receiverStart);
            b.append('(').append(receiver).append("|py_").append(name).append('(')
                    .append(rewriteMethods(src.substring(k + 1, close))).append("))");
            return close + 1;
        });
    }

    /**
     * One step of a rewrite at {@code code[i]}, which is not inside a string literal: appends to
     * {@code out} what replaces the code it consumes and returns the index after that code, or -1 to
     * leave {@code code[i]} as it is.
     */
    @FunctionalInterface
    private interface Step {
        int apply(String code, int i, StringBuilder out);
    }

    /** Applies {@code step} along {@code code}, copying string literals and unconsumed characters unchanged. */
    private static String rewriteOutsideStrings(String code, Step step) {
        StringBuilder b = new StringBuilder(code.length() + 16);
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int e = endOfString(code, i);
                b.append(code, i, e);
                i = e;
                continue;
            }
            int next = step.apply(code, i, b);
            if (next < 0) {
                b.append(c);
                i++;
            } else {
                i = next;
            }
        }
        return b.toString();
    }

    /**
     * Gives prefix {@code not} Jinja2's precedence: its operand is everything up to the next
     * {@code and}, {@code or}, {@code if}, {@code else}, {@code ,}, {@code :} or closing bracket at
     * the same nesting level, so comparisons, {@code in}, {@code is} tests and arithmetic belong to
     * it. An operand that is more than one postfix primary is parenthesized: {@code not a == b}
     * becomes {@code not (a == b)}, {@code not x is defined} becomes {@code not (x is defined)}.
     * The operators {@code not in} and {@code is not}, string literals and names containing
     * {@code not} are left alone; nested {@code not}s are rewritten from the inside.
     *
     * @param code the expression or tag body, outside any delimiters
     * @return the code with every compound {@code not} operand parenthesized
     */
    static String rewriteNot(String code) {
        return rewriteOutsideStrings(code, (src, i, b) -> {
            if (!isIdent(src.charAt(i))) {
                return -1;
            }
            int j = wordEnd(src, i);
            if (!isPrefixNot(src, i, j)) {
                b.append(src, i, j);
                return j;
            }
            int end = operandEnd(src, j);
            String operand = src.substring(j, end);
            String inner = rewriteNot(operand);
            if (isSinglePrimary(operand.strip())) {
                b.append("not").append(inner);
            } else {
                String trailing = inner.substring(inner.stripTrailing().length());
                b.append("not (").append(inner.strip()).append(')').append(trailing);
            }
            return end;
        });
    }

    /** Whether the word {@code code[start, end)} is a prefix {@code not} (not part of {@code is not} or {@code not in}). */
    private static boolean isPrefixNot(String code, int start, int end) {
        if (!code.startsWith("not", start) || end - start != 3 || (start > 0 && code.charAt(start - 1) == '.')) {
            return false;
        }
        int p = start;
        while (p > 0 && Character.isWhitespace(code.charAt(p - 1))) {
            p--;
        }
        int q = p;
        while (q > 0 && isIdent(code.charAt(q - 1))) {
            q--;
        }
        if (code.substring(q, p).equals("is") && (q == 0 || code.charAt(q - 1) != '.')) {
            return false;
        }
        int n = end;
        while (n < code.length() && Character.isWhitespace(code.charAt(n))) {
            n++;
        }
        return !(n > end && code.startsWith("in", n) && wordEnd(code, n) == n + 2);
    }

    /** End (exclusive) of the operand of a prefix {@code not} whose keyword ends at {@code from}. */
    private static int operandEnd(String code, int from) {
        int depth = 0;
        int i = from;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(code, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth-- == 0) {
                    return i;
                }
            } else if ((c == ',' || c == ':') && depth == 0) {
                return i;
            } else if (isIdent(c)) {
                int j = wordEnd(code, i);
                boolean attribute = i > 0 && code.charAt(i - 1) == '.';
                if (depth == 0 && !attribute && NOT_OPERAND_STOPS.contains(code.substring(i, j))) {
                    return i;
                }
                i = j;
                continue;
            }
            i++;
        }
        return code.length();
    }

    /** Whether {@code s} is one postfix primary (name, literal, call, subscript, attribute chain, group). */
    private static boolean isSinglePrimary(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i);
            } else if (c == '(' || c == '[' || c == '{') {
                i = matchParen(s, i) + 1;
            } else if (isIdent(c) || c == '.') {
                i++;
            } else {
                return false;
            }
        }
        return true;
    }

    private static int wordEnd(String code, int start) {
        int j = start;
        while (j < code.length() && isIdent(code.charAt(j))) {
            j++;
        }
        return j;
    }

    /** Start of the postfix expression (names, attributes, calls, subscripts, a literal) ending {@code b}. */
    private static int receiverStart(StringBuilder b) {
        int p = b.length();
        while (p > 0) {
            char c = b.charAt(p - 1);
            if (c == ')' || c == ']') {
                p = matchBackward(b, p - 1);
                if (p > 0 && (isIdent(b.charAt(p - 1)) || b.charAt(p - 1) == ')' || b.charAt(p - 1) == ']')) {
                    continue;
                }
                return p;
            } else if (c == '\'' || c == '"') {
                int q = p - 2;
                while (q >= 0 && !(b.charAt(q) == c && (q == 0 || b.charAt(q - 1) != '\\'))) {
                    q--;
                }
                return Math.max(q, 0);
            } else if (isIdent(c)) {
                while (p > 0 && isIdent(b.charAt(p - 1))) {
                    p--;
                }
                if (p > 0 && b.charAt(p - 1) == '.') {
                    p--;
                    continue;
                }
                return p;
            } else {
                return p;
            }
        }
        return p;
    }

    private static int matchBackward(StringBuilder b, int closeIndex) {
        int depth = 0;
        for (int q = closeIndex; q >= 0; q--) {
            char c = b.charAt(q);
            if (c == ')' || c == ']' || c == '}') {
                depth++;
            } else if (c == '(' || c == '[' || c == '{') {
                if (--depth == 0) {
                    return q;
                }
            }
        }
        return 0;
    }

    private static int matchParen(String code, int openIndex) {
        int depth = 0;
        int i = openIndex;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(code, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return i;
            }
            i++;
        }
        throw new ChatTemplateException("Chat template has an unbalanced '(' in: " + code.strip());
    }

    /**
     * Rewrites Python slices {@code recv[start:stop:step]} (any part may be empty) to
     * {@code (recv|py_slice(start, stop, step))} outside string literals, with {@code none} for an empty
     * part: Jinjava has no slice syntax, and Qwen3's template walks {@code messages[::-1]}.
     */
    static String rewriteSlices(String code) {
        return rewriteOutsideStrings(code, (src, i, b) -> {
            if (src.charAt(i) != '[' || b.length() == 0 || !isSubscriptable(b.charAt(b.length() - 1))) {
                return -1;
            }
            int close = matchParen(src, i);
            List<String> parts = topLevelSplit(src.substring(i + 1, close), ':');
            if (parts.size() != 2 && parts.size() != 3) {
                return -1;
            }
            int receiverStart = receiverStart(b);
            String receiver = b.substring(receiverStart);
            b.setLength(receiverStart);
            b.append('(').append(receiver).append("|py_slice(");
            for (int k = 0; k < 3; k++) {
                String part = k < parts.size() ? parts.get(k).strip() : "";
                b.append(k == 0 ? "" : ", ").append(part.isEmpty() ? "none" : rewriteSlices(part));
            }
            b.append("))");
            return close + 1;
        });
    }

    /**
     * Wraps each keyword argument's value in parentheses, {@code f(k=v - 1)} to {@code f(k=(v - 1))}:
     * Jinjava binds {@code =} tighter than arithmetic and filters inside a call, so
     * {@code namespace(last_query_index=messages|length - 1)} (Qwen3) would subtract from the parameter.
     */
    static String rewriteKeywordArgs(String code) {
        return rewriteOutsideStrings(code, new KeywordValues());
    }

    /** {@link #rewriteKeywordArgs}'s step: the bracket depth, and the depths whose value awaits its ')'. */
    private static final class KeywordValues implements Step {
        private final Deque<Integer> closeAt = new ArrayDeque<>();
        private int depth;

        @Override
        public int apply(String code, int i, StringBuilder b) {
            char c = code.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}' || c == ',') {
                if (!closeAt.isEmpty() && closeAt.peek() == depth) {
                    closeAt.pop();
                    b.append(')');
                }
                if (c != ',') {
                    depth--;
                }
            } else if (c == '=' && depth > 0 && isKeywordEquals(code, i) && isCallArgs(code, i)) {
                b.append("=(");
                closeAt.push(depth);
                return i + 1;
            }
            return -1;
        }
    }

    /** Whether the {@code =} at {@code at} is {@code name=} (not {@code ==}, {@code !=}, {@code <=}, {@code >=}). */
    private static boolean isKeywordEquals(String code, int at) {
        if (at + 1 < code.length() && code.charAt(at + 1) == '=') {
            return false;
        }
        int p = at - 1;
        while (p >= 0 && code.charAt(p) == ' ') {
            p--;
        }
        if (p < 0 || !isIdent(code.charAt(p))) {
            return false;
        }
        while (p >= 0 && isIdent(code.charAt(p))) {
            p--;
        }
        while (p >= 0 && code.charAt(p) == ' ') {
            p--;
        }
        return p >= 0 && (code.charAt(p) == '(' || code.charAt(p) == ',');
    }

    /** Whether the innermost open bracket before {@code at} is a call's {@code (}. */
    private static boolean isCallArgs(String code, int at) {
        int depth = 0;
        for (int p = at - 1; p >= 0; p--) {
            char c = code.charAt(p);
            if (c == ')' || c == ']' || c == '}') {
                depth++;
            } else if (c == '(' || c == '[' || c == '{') {
                if (depth-- == 0) {
                    return c == '(' && p > 0 && isIdent(code.charAt(p - 1));
                }
            }
        }
        return false;
    }

    private static boolean isSubscriptable(char c) {
        return isIdent(c) || c == ')' || c == ']';
    }

    /** Splits on {@code sep} outside strings and brackets. */
    private static List<String> topLevelSplit(String s, char sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == sep && depth == 0) {
                parts.add(s.substring(from, i));
                from = i + 1;
            }
            i++;
        }
        parts.add(s.substring(from));
        return parts;
    }

    static void collectFilters(String code, Set<String> into) {
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(code, i);
                continue;
            }
            if (c == '|') {
                int j = i + 1;
                while (j < code.length() && code.charAt(j) == ' ') {
                    j++;
                }
                int k = j;
                while (k < code.length() && isIdent(code.charAt(k))) {
                    k++;
                }
                if (k > j) {
                    into.add(code.substring(j, k));
                }
            }
            i++;
        }
    }

    /**
     * Rewrites each string literal so that Jinjava reads the text Python would: Jinja2 decodes a
     * literal with Python's {@code unicode-escape} ({@code \n}, {@code \t}, {@code \xhh}, the
     * four- and eight-digit unicode escapes, octal, …), while Jinjava's lexer accepts only {@code \'}, {@code \"} and
     * {@code \\}. The decoded text is written back with only those escapes.
     */
    static String rewriteStringLiterals(String code) {
        StringBuilder b = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int e = endOfString(code, i);
                String text = decodePythonEscapes(code.substring(i + 1, Math.max(i + 1, e - 1)));
                b.append(c).append(text.replace("\\", "\\\\").replace(String.valueOf(c), "\\" + c)).append(c);
                i = e;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** Python's {@code unicode-escape} decoding of a literal's body; an unknown escape stays as written. */
    static String decodePythonEscapes(String body) {
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = body.charAt(i + 1);
            int hexDigits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
            if (hexDigits > 0) {
                if (i + 2 + hexDigits > body.length()) {
                    throw new ChatTemplateException("Chat template has a truncated \\" + e + " escape in '" + body + "'");
                }
                out.appendCodePoint(Integer.parseInt(body.substring(i + 2, i + 2 + hexDigits), 16));
                i += 2 + hexDigits;
            } else if (e >= '0' && e <= '7') {
                int j = i + 1;
                while (j < body.length() && j < i + 4 && body.charAt(j) >= '0' && body.charAt(j) <= '7') {
                    j++;
                }
                out.append((char) Integer.parseInt(body.substring(i + 1, j), 8));
                i = j;
            } else {
                String simple = switch (e) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case 'r' -> "\r";
                    case 'b' -> "\b";
                    case 'f' -> "\f";
                    case 'v' -> "\013";
                    case 'a' -> "\007";
                    case '\\', '\'', '"' -> String.valueOf(e);
                    case '\n' -> "";
                    default -> "\\" + e;
                };
                out.append(simple);
                i += 2;
            }
        }
        return out.toString();
    }

    /**
     * Makes a {@code for} loop walk a dict's keys, as Python does: {@code for x in EXPR} becomes
     * {@code for x in (EXPR)|py_iter} (Jinjava would walk the values). A loop with an inline
     * {@code if} filter or {@code recursive} is left alone.
     *
     * @param code the body of a {@code {% %}} tag
     * @return the body, rewritten when it is a plain {@code for} tag
     */
    static String rewriteForIterable(String code) {
        String trimmed = code.strip();
        if (!trimmed.startsWith("for ")) {
            return code;
        }
        List<String> words = topLevelSplit(trimmed, ' ');
        int in = words.indexOf("in");
        if (in < 0 || words.contains("if") || words.contains("recursive")) {
            return code;
        }
        int at = code.indexOf(" in ", code.indexOf("for") + 3);
        String iterable = code.substring(at + 4).strip();
        String trailing = code.substring(code.stripTrailing().length());
        return code.substring(0, at + 4) + "(" + iterable + ")|py_iter" + trailing;
    }

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
