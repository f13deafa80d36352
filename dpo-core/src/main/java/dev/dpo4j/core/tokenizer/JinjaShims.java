package dev.dpo4j.core.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Everything that makes Jinjava render Hugging Face chat templates the way Python's Jinja2 does in
 * {@code transformers} ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)}).
 *
 * <p>Engine settings: nested interpretation off (Jinjava would otherwise render a {@code {{ … }}}
 * found inside a message's text), the first {@code raise_exception} is the one reported (Jinja2 stops there), and Jinjava's legacy overrides that make
 * {@code {{- … -}}} whitespace control and operator precedence follow Jinja2.
 *
 * <p>Source pre-pass ({@link #preprocess}), applied once per template:
 * <ul>
 *   <li>newlines are normalized to {@code \n} and one trailing newline is dropped (Jinja2's
 *       {@code keep_trailing_newline=False});</li>
 *   <li>comments {@code {# … #}} are removed with Jinja2's whitespace rules (lstrip before, trim
 *       of the following newline, {@code -} markers), which Jinjava does not apply to comments;</li>
 *   <li>trim_blocks and lstrip_blocks are applied here, not by Jinjava (whose lstrip also strips
 *       spaces before a tag in mid-line): the first newline after a block tag goes, and so do the
 *       spaces and tabs that start a line before one; the {@code +} markers ({@code {%+},
 *       {@code +%}}) keep them and are dropped, since Jinjava reads {@code +} as {@code -};</li>
 *   <li>Python string and dict methods Java lacks are rewritten to filters:
 *       {@code recv.name(args)} becomes {@code (recv|py_name(args))} for the names in
 *       {@link JinjaExpressions#PY_METHODS}, so chaining and subscripts after the call keep working;</li>
 *   <li>Python slices {@code x[a:b:c]} become {@code (x|py_slice(a, b, c))}, and keyword arguments get
 *       parentheses, {@code f(k=(v - 1))}, since Jinjava binds {@code =} tighter than operators in a
 *       call ({@link JinjaExpressions#rewriteSlices}, {@link JinjaExpressions#rewriteKeywordArgs});</li>
 *   <li>prefix {@code not} gets Jinja2's precedence, looser than comparisons, {@code in} and
 *       {@code is} tests ({@link JinjaExpressions#rewriteNot}): {@code not x is defined} becomes
 *       {@code not (x is defined)}, which Jinjava would otherwise read as {@code (not x) is defined};</li>
 *   <li>{@code for x in e} walks {@code (e)|py_iter}, a dict's keys as in Python (Jinjava walks
 *       the values);</li>
 *   <li>string literals are decoded with Python's escapes ({@code \t}, {@code \xhh}, unicode,
 *       octal), which Jinjava's lexer rejects ({@link JinjaExpressions#rewriteStringLiterals});</li>
 *   <li>every printed expression {@code {{ e }}} becomes {@code {{ (e)|py_str }}} so that
 *       booleans, dicts and lists print as Python's {@code str()} does ({@link PythonRepr});</li>
 *   <li>every filter the template uses must exist, otherwise a {@link ChatTemplateException} is
 *       thrown (Jinjava would silently ignore an unknown filter).</li>
 * </ul>
 *
 * <p>Globals: {@code raise_exception(msg)} (surfaces as a {@link ChatTemplateException} carrying
 * {@code msg}), {@code strftime_now(fmt)}; filters ({@link PythonFilters}): the {@code py_*}
 * method targets, {@code tojson} with Python's {@code json.dumps} layout ({@link PythonJson}) and
 * {@code trim} with Python's {@code str.strip} semantics; the type tests {@code string},
 * {@code mapping}, {@code iterable} and {@code sequence} with Python's answers (a str and a dict
 * are iterable sequences).
 *
 * <p>Known remaining differences (none occurs in the templates tested): {@code break} and
 * {@code continue} are not supported (Jinjava has no such tags; reported as an error); string
 * subscripts ({@code s[0]}) and {@code str * int} do not work; a tuple literal is a list; a
 * {@code None} printed on its own is an empty string (inside a list or dict it is {@code None}),
 * since Jinjava hands a filter the same null for None and for undefined; for the same reason
 * {@code x is none} is true and {@code x is defined} false for an undefined {@code x} and a None one
 * alike, and {@code default} replaces a None. {@code JinjaFeaturesTest} lists these as skipped.
 */
final class JinjaShims {


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
        if (RAISED.get() == null) {
            RAISED.set(message); // Jinja2 stops at the first raise; Jinjava may go on and raise again
        }
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
            boolean keepIndent = code.startsWith("+");
            boolean keepNewline = kind == '%' && code.endsWith("+");
            String head = code.startsWith("-") ? "-" : "";
            if (code.startsWith("-") || code.startsWith("+")) {
                code = code.substring(1);
            }
            String tail = code.endsWith("-") ? "-" : "";
            code = code.substring(0, code.length() - (tail.isEmpty() && keepNewline ? 1 : tail.length()));
            if (kind == '%' && head.isEmpty() && !keepIndent) {
                lstripBlock(s, open, out);
            }
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
            String rewritten = rewrite(code, kind);
            JinjaExpressions.collectFilters(rewritten, filters);
            if (kind == '{') {
                rewritten = " (" + rewritten + ")|py_str ";
            }
            out.append('{').append(kind).append(head).append(rewritten).append(tail).append(closer);
            i = end + 2;
            if (kind == '%' && tail.isEmpty() && !keepNewline && i < s.length() && s.charAt(i) == '\n') {
                i++; // trim_blocks: the first newline after a block tag goes
            }
        }
        for (String f : filters) {
            if (ENGINE.getGlobalContext().getFilter(f) == null) {
                throw new ChatTemplateException("Chat template uses the filter '" + f
                        + "', which dpo4j's Jinja engine (Jinjava) does not provide");
            }
        }
        return out.toString();
    }

    /** The expression rewrites of one tag's code, in order (see the class comment). */
    private static String rewrite(String code, char kind) {
        String c = JinjaExpressions.rewriteSlices(JinjaExpressions.rewriteMethods(code));
        boolean macro = kind == '%' && code.strip().startsWith("macro ");
        if (!macro) {
            c = JinjaExpressions.rewriteKeywordArgs(c); // a macro's defaults are not call arguments
        }
        c = JinjaExpressions.rewriteNot(c);
        if (kind == '%') {
            c = JinjaExpressions.rewriteForIterable(c);
        }
        return JinjaExpressions.rewriteStringLiterals(c);
    }

    /**
     * lstrip_blocks: the spaces and tabs between the start of a source line and a block tag at
     * {@code open} go (already copied to the end of {@code out}); a line start whose newline a
     * trim_blocks removed still counts.
     */
    private static void lstripBlock(String s, int open, StringBuilder out) {
        int p = open;
        while (p > 0 && (s.charAt(p - 1) == ' ' || s.charAt(p - 1) == '\t')) {
            p--;
        }
        int indent = open - p;
        boolean lineStart = p == 0 || s.charAt(p - 1) == '\n';
        if (lineStart && indent > 0 && indent <= out.length() && out.substring(out.length() - indent).isBlank()) {
            out.setLength(out.length() - indent);
        }
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
                i = JinjaExpressions.endOfString(s, i);
            } else if (s.startsWith(closer, i)) {
                return i;
            } else {
                i++;
            }
        }
        throw new ChatTemplateException("Chat template has an unterminated tag starting at offset " + (from - 2));
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
                .withTrimBlocks(false) // trim_blocks and lstrip_blocks are applied by preprocess:
                .withLstripBlocks(false) // Jinjava's lstrip also strips before a tag in mid-line
                .withNestedInterpretationEnabled(false) // message text is data: "{{ x }}" in it stays text
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
        registerTypeTests(jinjava);
        return jinjava;
    }

    /**
     * Jinja2's type tests as Python answers them: a str is {@code iterable} and a {@code sequence},
     * so is a dict (it has a length and subscripts); Jinjava says no to both. Gemma 3 asks
     * {@code content is iterable} after {@code content is string}.
     */
    private static void registerTypeTests(Jinjava jinjava) {
        addTest(jinjava, "string", v -> v instanceof String || v instanceof Character);
        addTest(jinjava, "mapping", v -> v instanceof Map<?, ?>);
        addTest(jinjava, "iterable", v -> v instanceof String || v instanceof Map<?, ?> || v instanceof Iterable<?>
                || (v != null && v.getClass().isArray()));
        addTest(jinjava, "sequence", v -> v instanceof String || v instanceof Map<?, ?> || v instanceof List<?>
                || (v != null && v.getClass().isArray()));
    }

    private static void addTest(Jinjava jinjava, String name, Predicate<Object> test) {
        jinjava.getGlobalContext().registerExpTest(new ExpTest() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean evaluate(Object value, JinjavaInterpreter interpreter, Object... args) {
                return test.test(value);
            }
        });
    }
}
