package dev.dpo4j.core.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that makes Jinjava render Hugging Face chat templates the way Python's Jinja2 does in
 * {@code transformers} ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)}).
 *
 * <p>Engine settings: trim_blocks and lstrip_blocks on, and Jinjava's legacy overrides that make
 * {@code {{- … -}}} whitespace control and operator precedence follow Jinja2.
 *
 * <p>Source pre-pass ({@link #preprocess}), applied once per template:
 * <ul>
 *   <li>newlines are normalized to {@code \n} and one trailing newline is dropped (Jinja2's
 *       {@code keep_trailing_newline=False});</li>
 *   <li>comments {@code {# … #}} are removed with Jinja2's whitespace rules (lstrip before, trim
 *       of the following newline, {@code -} markers), which Jinjava does not apply to comments;</li>
 *   <li>the {@code +} marker ({@code {%+}) is dropped, since Jinjava reads it as {@code -};</li>
 *   <li>Python string and dict methods Java lacks are rewritten to filters:
 *       {@code recv.name(args)} becomes {@code (recv|py_name(args))} for the names in
 *       {@link #PY_METHODS}, so chaining and subscripts after the call keep working;</li>
 *   <li>prefix {@code not} gets Jinja2's precedence, looser than comparisons, {@code in} and
 *       {@code is} tests ({@link #rewriteNot}): {@code not x is defined} becomes
 *       {@code not (x is defined)}, which Jinjava would otherwise read as {@code (not x) is defined};</li>
 *   <li>every printed expression {@code {{ e }}} becomes {@code {{ (e)|py_str }}} so that
 *       booleans print as Python's {@code True} / {@code False};</li>
 *   <li>every filter the template uses must exist, otherwise a {@link ChatTemplateException} is
 *       thrown (Jinjava would silently ignore an unknown filter).</li>
 * </ul>
 *
 * <p>Globals: {@code raise_exception(msg)} (surfaces as a {@link ChatTemplateException} carrying
 * {@code msg}), {@code strftime_now(fmt)}; filters ({@link PythonFilters}): the {@code py_*}
 * method targets, {@code tojson} with Python's {@code json.dumps} layout ({@link PythonJson}) and
 * {@code trim} with Python's {@code str.strip} semantics. These three classes are the whole shim.
 *
 * <p>Known remaining differences (none occurs in the templates tested): {@code break} and
 * {@code continue} are not supported (Jinjava has no such tags; reported as an error); string
 * subscripts ({@code s[0]}) and {@code str * int} do not work; {@code None} prints as an empty
 * string (Jinjava hands a filter the same null for None and for undefined, so {@code py_str} cannot
 * tell them apart), and {@code x is none} is also true for an undefined {@code x}.
 */
final class JinjaShims {

    /** Python methods rewritten to {@code py_*} filters by the pre-pass. */
    static final Set<String> PY_METHODS = Set.of("strip", "lstrip", "rstrip", "startswith", "endswith",
            "split", "upper", "lower", "title", "capitalize", "replace", "join", "keys", "get");

    /** Words that end the operand of a prefix {@code not} (Jinja2 binds {@code not} tighter only than these). */
    private static final Set<String> NOT_OPERAND_STOPS = Set.of("and", "or", "if", "else", "recursive");

    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();
    private static final Jinjava ENGINE = createEngine();

    private JinjaShims() {
    }

    /** The shared, fully configured engine. */
    static Jinjava engine() {
        return ENGINE;
    }

    /** Clears a pending {@code raise_exception} message before a render. */
    static void clearRaised() {
        RAISED.remove();
    }

    /** Returns and clears the message of a {@code raise_exception} call made during the last render, or null. */
    static String takeRaised() {
        String message = RAISED.get();
        RAISED.remove();
        return message;
    }

    /**
     * Implements {@code raise_exception(message)}: records the message for the renderer and aborts.
     *
     * @param message the template's message
     * @return never returns
     */
    static String raiseException(String message) {
        RAISED.set(message);
        throw new ChatTemplateException(message);
    }

    /**
     * Implements {@code strftime_now(format)} for the common Python directives.
     *
     * @param format a Python {@code strftime} format
     * @return the local time formatted
     */
    static String strftimeNow(String format) {
        LocalDateTime now = LocalDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            String pattern = switch (d) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'I' -> "hh";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'p' -> "a";
                case 'j' -> "DDD";
                default -> null;
            };
            if (pattern != null) {
                out.append(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(now));
            } else {
                out.append(d == '%' ? "%" : "%" + d);
            }
        }
        return out.toString();
    }

    /**
     * Rewrites a template's source so Jinjava renders it as Jinja2 would (see the class comment).
     *
     * @param source the template text as stored by Hugging Face
     * @return the source to hand to Jinjava
     * @throws ChatTemplateException on an unterminated tag or a filter Jinjava does not provide
     */
    static String preprocess(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        StringBuilder out = new StringBuilder(s.length() + 64);
        Set<String> filters = new TreeSet<>();
        int i = 0;
        while (i < s.length()) {
            int open = nextTag(s, i);
            if (open < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, open);
            char kind = s.charAt(open + 1);
            if (kind == '#') {
                i = removeComment(s, open, out);
                continue;
            }
            String closer = kind == '{' ? "}}" : "%}";
            int end = findTagEnd(s, open + 2, closer);
            String code = s.substring(open + 2, end);
            String head = code.startsWith("-") ? "-" : "";
            if (code.startsWith("-") || code.startsWith("+")) {
                code = code.substring(1);
            }
            String tail = code.endsWith("-") ? "-" : "";
            code = code.substring(0, code.length() - tail.length());
            if (kind == '%' && code.strip().equals("raw")) {
                int endRaw = s.indexOf("endraw", end);
                int rawClose = endRaw < 0 ? -1 : s.indexOf("%}", endRaw);
                if (rawClose < 0) {
                    throw new ChatTemplateException("Chat template has {% raw %} without {% endraw %}");
                }
                out.append(s, open, rawClose + 2);
                i = rawClose + 2;
                continue;
            }
            String rewritten = rewriteNot(rewriteMethods(code));
            collectFilters(rewritten, filters);
            if (kind == '{') {
                rewritten = " (" + rewritten + ")|py_str ";
            }
            out.append('{').append(kind).append(head).append(rewritten).append(tail).append(closer);
            i = end + 2;
        }
        for (String f : filters) {
            if (ENGINE.getGlobalContext().getFilter(f) == null) {
                throw new ChatTemplateException("Chat template uses the filter '" + f
                        + "', which dpo4j's Jinja engine (Jinjava) does not provide");
            }
        }
        return out.toString();
    }

    private static int nextTag(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Drops a comment with Jinja2's whitespace rules; returns the index after it. */
    private static int removeComment(String s, int open, StringBuilder out) {
        int end = s.indexOf("#}", open + 2);
        if (end < 0) {
            throw new ChatTemplateException("Chat template has an unterminated comment at offset " + open);
        }
        char marker = open + 2 < end ? s.charAt(open + 2) : ' ';
        if (marker == '-') {
            int k = out.length();
            while (k > 0 && Character.isWhitespace(out.charAt(k - 1))) {
                k--;
            }
            out.setLength(k);
        } else if (marker != '+') {
            int k = out.length();
            while (k > 0 && (out.charAt(k - 1) == ' ' || out.charAt(k - 1) == '\t')) {
                k--;
            }
            if (k == 0 || out.charAt(k - 1) == '\n') {
                out.setLength(k);
            }
        }
        int i = end + 2;
        if (end - 1 > open + 2 && s.charAt(end - 1) == '-') {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        } else if (i < s.length() && s.charAt(i) == '\n') {
            i++;
        }
        return i;
    }

    private static int findTagEnd(String s, int from, String closer) {
        int i = from;
        while (i < s.length() - 1) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i);
            } else if (s.startsWith(closer, i)) {
                return i;
            } else {
                i++;
            }
        }
        throw new ChatTemplateException("Chat template has an unterminated tag starting at offset " + (from - 2));
    }

    /** Index just after the string literal that starts at {@code start}. */
    private static int endOfString(String s, int start) {
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

    private static void collectFilters(String code, Set<String> into) {
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

    private static Jinjava createEngine() {
        LegacyOverrides overrides = LegacyOverrides.newBuilder()
                .withUseNaturalOperatorPrecedence(true)
                .withParseWhitespaceControlStrictly(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .withAllowAdjacentTextNodes(true)
                .withKeepNullableLoopValues(true)
                .build();
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(overrides)
                .build());
        try {
            var raise = JinjaShims.class.getDeclaredMethod("raiseException", String.class);
            var strftime = JinjaShims.class.getDeclaredMethod("strftimeNow", String.class);
            raise.setAccessible(true);
            strftime.setAccessible(true);
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", raise));
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", strftime));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        PythonFilters.register(jinjava);
        return jinjava;
    }
}
