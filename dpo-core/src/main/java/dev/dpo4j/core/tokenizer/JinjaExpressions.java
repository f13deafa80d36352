package dev.dpo4j.core.tokenizer;

import java.util.ArrayList;
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
            if (c == '.') {
                int j = i + 1;
                while (j < code.length() && isIdent(code.charAt(j))) {
                    j++;
                }
                String name = code.substring(i + 1, j);
                int k = j;
                while (k < code.length() && code.charAt(k) == ' ') {
                    k++;
                }
                int receiverStart = receiverStart(b);
                if (PY_METHODS.contains(name) && k < code.length() && code.charAt(k) == '('
                        && receiverStart < b.length()) {
                    int close = matchParen(code, k);
                    String receiver = b.substring(receiverStart);
                    b.setLength(receiverStart);
                    b.append('(').append(receiver).append("|py_").append(name).append('(')
                            .append(rewriteMethods(code.substring(k + 1, close))).append("))");
                    i = close + 1;
                    continue;
                }
            }
            b.append(c);
            i++;
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
        StringBuilder b = new StringBuilder(code.length() + 8);
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int e = endOfString(code, i);
                b.append(code, i, e);
                i = e;
            } else if (isIdent(c)) {
                int j = wordEnd(code, i);
                if (isPrefixNot(code, i, j)) {
                    int end = operandEnd(code, j);
                    String operand = code.substring(j, end);
                    String inner = rewriteNot(operand);
                    if (isSinglePrimary(operand.strip())) {
                        b.append("not").append(inner);
                    } else {
                        String trailing = inner.substring(inner.stripTrailing().length());
                        b.append("not (").append(inner.strip()).append(')').append(trailing);
                    }
                    i = end;
                } else {
                    b.append(code, i, j);
                    i = j;
                }
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
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
            if (c == '[' && b.length() > 0 && isSubscriptable(b.charAt(b.length() - 1))) {
                int close = matchParen(code, i);
                List<String> parts = topLevelSplit(code.substring(i + 1, close), ':');
                if (parts.size() == 2 || parts.size() == 3) {
                    int receiverStart = receiverStart(b);
                    String receiver = b.substring(receiverStart);
                    b.setLength(receiverStart);
                    b.append('(').append(receiver).append("|py_slice(");
                    for (int k = 0; k < 3; k++) {
                        String part = k < parts.size() ? parts.get(k).strip() : "";
                        b.append(k == 0 ? "" : ", ").append(part.isEmpty() ? "none" : rewriteSlices(part));
                    }
                    b.append("))");
                    i = close + 1;
                    continue;
                }
            }
            b.append(c);
            i++;
        }
        return b.toString();
    }

    /**
     * Wraps each keyword argument's value in parentheses, {@code f(k=v - 1)} to {@code f(k=(v - 1))}:
     * Jinjava binds {@code =} tighter than arithmetic and filters inside a call, so
     * {@code namespace(last_query_index=messages|length - 1)} (Qwen3) would subtract from the parameter.
     */
    static String rewriteKeywordArgs(String code) {
        StringBuilder b = new StringBuilder(code.length() + 16);
        java.util.Deque<Integer> closeAt = new java.util.ArrayDeque<>(); // depth of each value awaiting ')'
        int depth = 0;
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int e = endOfString(code, i);
                b.append(code, i, e);
                i = e;
                continue;
            }
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
                i++;
                continue;
            }
            b.append(c);
            i++;
        }
        return b.toString();
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

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
