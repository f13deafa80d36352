package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The source pre-pass: what Jinjava is handed for the Python constructs it lacks. */
class JinjaShimsTest {

    @Test
    void methodCallsBecomeParenthesizedFilters() {
        assertEquals(" (x|py_strip()) ", JinjaExpressions.rewriteMethods(" x.strip() "));
        assertEquals("(m['content']|py_split('</think>'))[-1]",
                JinjaExpressions.rewriteMethods("m['content'].split('</think>')[-1]"));
        // chained calls nest; the receiver of the second call is the first call's result
        assertEquals("((a.b|py_strip())|py_startswith('x'))",
                JinjaExpressions.rewriteMethods("a.b.strip().startswith('x')"));
        // a string literal receiver, and a call inside the arguments
        assertEquals("('\\n'|py_join((xs|py_keys())))", JinjaExpressions.rewriteMethods("'\\n'.join(xs.keys())"));
        // inside a tag, with whitespace markers kept and the output passed through py_str
        assertEquals("{%- if (x|py_strip()) -%}{{- ( (x|py_lower()) )|py_str -}}{% endif %}",
                JinjaShims.preprocess("{%- if x.strip() -%}{{- x.lower() -}}{% endif %}"));
    }

    @Test
    void notTakesComparisonsTestsAndInAsItsOperand() {
        // Jinja2: not binds looser than ==, in, is; the operand stops at and / or
        assertEquals(" if not (x is defined) ", JinjaExpressions.rewriteNot(" if not x is defined "));
        assertEquals(" not (a == b) and c ", JinjaExpressions.rewriteNot(" not a == b and c "));
        assertEquals(" not (a in b) or not c ", JinjaExpressions.rewriteNot(" not a in b or not c "));
        assertEquals(" not (x is not none) ", JinjaExpressions.rewriteNot(" not x is not none "));
        assertEquals(" not (xs|length > 1) ", JinjaExpressions.rewriteNot(" not xs|length > 1 "));
        assertEquals(" not (m['role'] == 'system') ", JinjaExpressions.rewriteNot(" not m['role'] == 'system' "));
        // in a conditional expression the operand stops at else / if
        assertEquals(" 'a' if not (x == 1) else 'b' ", JinjaExpressions.rewriteNot(" 'a' if not x == 1 else 'b' "));
    }

    @Test
    void notInsideBracketsAndNestedNots() {
        // the operand ends at the comma or closing bracket of its own nesting level
        assertEquals(" f(not (a == b), c)[not (d is none)] ",
                JinjaExpressions.rewriteNot(" f(not a == b, c)[not d is none] "));
        assertEquals("{'k': not (a == b)}", JinjaExpressions.rewriteNot("{'k': not a == b}"));
        // not not a == b is not (not (a == b))
        assertEquals(" not (not (a == b)) ", JinjaExpressions.rewriteNot(" not not a == b "));
        // a parenthesized operand is already right, unless something follows the group
        assertEquals(" not (a == b) ", JinjaExpressions.rewriteNot(" not (a == b) "));
        assertEquals(" not ((a) == b) ", JinjaExpressions.rewriteNot(" not (a) == b "));
    }

    @Test
    void notRewriteLeavesOtherFormsAlone() {
        // single primaries need no parentheses
        assertEquals(" not loop.last ", JinjaExpressions.rewriteNot(" not loop.last "));
        assertEquals(" not f(x)[0] and y ", JinjaExpressions.rewriteNot(" not f(x)[0] and y "));
        // the binary operators "is not" and "not in", names and attributes containing "not"
        assertEquals(" x is not defined ", JinjaExpressions.rewriteNot(" x is not defined "));
        assertEquals(" a not in b ", JinjaExpressions.rewriteNot(" a not in b "));
        assertEquals(" nothing == notes and x.not == 1 ", JinjaExpressions.rewriteNot(" nothing == notes and x.not == 1 "));
        // string literals, including ones that contain "not" and "=="
        assertEquals(" 'not a == b' ", JinjaExpressions.rewriteNot(" 'not a == b' "));
        assertEquals(" not (x == \"not a == b\") ", JinjaExpressions.rewriteNot(" not x == \"not a == b\" "));
    }

    @Test
    void notRewriteAppliesInTagsAndOutput() {
        assertEquals("{%- if not (x is defined) %}A{%- endif -%}",
                JinjaShims.preprocess("{%- if not x is defined %}A{%- endif -%}"));
        assertEquals("{{ ( not (1 == 2) )|py_str }}", JinjaShims.preprocess("{{ not 1 == 2 }}"));
        // the method rewrite runs first; its parentheses make the receiver one primary
        assertEquals("{% if not ((x|py_strip()) == '') %}{% endif %}",
                JinjaShims.preprocess("{% if not x.strip() == '' %}{% endif %}"));
    }

    @Test
    void textAndLiteralsAreLeftAlone() {
        assertEquals("a.strip() {{ ( 'b.strip()' )|py_str }}", JinjaShims.preprocess("a.strip() {{ 'b.strip()' }}"));
        assertEquals("{% if x.title %}t{% endif %}", JinjaShims.preprocess("{% if x.title %}t{% endif %}"));
    }

    @Test
    void newlinesNormalizedAndOneTrailingNewlineDropped() {
        assertEquals("a\nb\n", JinjaShims.preprocess("a\r\nb\r\n\n"));
    }

    @Test
    void commentWhitespaceControl() {
        // {#- strips all whitespace before, -#} all after
        assertEquals("ab", JinjaShims.preprocess("a \n {#- c -#} \n b"));
    }

    @Test
    void malformedTagsAreReported() {
        assertThrows(ChatTemplateException.class, () -> JinjaShims.preprocess("{{ x "));
        assertThrows(ChatTemplateException.class, () -> JinjaShims.preprocess("{# x "));
    }

    @Test
    void slicesBecomeTheSliceFilter() {
        assertEquals("(messages|py_slice(none, none, -1))", JinjaExpressions.rewriteSlices("messages[::-1]"));
        assertEquals("(m['content']|py_slice(1, none, none))[0]", JinjaExpressions.rewriteSlices("m['content'][1:][0]"));
        // a list literal and a plain subscript stay as they are
        assertEquals("[1, 2][0]", JinjaExpressions.rewriteSlices("[1, 2][0]"));
        assertEquals("x['a:b']", JinjaExpressions.rewriteSlices("x['a:b']"));
    }

    @Test
    void slicesFollowPython() {
        // expected values are Python's: "abcdef"[1:4], [::-1], [-2:], [:-10], [10:], [::2], [5:1:-2]
        List<String> chars = List.of("a", "b", "c", "d", "e", "f");
        assertEquals("bcd", PythonFilters.slice("abcdef", 1, 4, null));
        assertEquals(List.of("f", "e", "d", "c", "b", "a"), PythonFilters.slice(chars, null, null, -1));
        assertEquals(List.of("e", "f"), PythonFilters.slice(chars, -2, null, null));
        assertEquals(List.of(), PythonFilters.slice(chars, null, -10, null));
        assertEquals("", PythonFilters.slice("abcdef", 10, null, null));
        assertEquals("ace", PythonFilters.slice("abcdef", null, null, 2));
        assertEquals("fd", PythonFilters.slice("abcdef", 5, 1, -2));
    }

    @Test
    void keywordArgumentValuesGetParentheses() {
        assertEquals("namespace(a=(true), b=(messages|length - 1))",
                JinjaExpressions.rewriteKeywordArgs("namespace(a=true, b=messages|length - 1)"));
        // comparisons, and = outside a call, are left alone
        assertEquals("f(a == b, c != d)", JinjaExpressions.rewriteKeywordArgs("f(a == b, c != d)"));
        assertEquals(" set x = 1 ", JinjaExpressions.rewriteKeywordArgs(" set x = 1 "));
        assertEquals("x|tojson(indent=(2))", JinjaExpressions.rewriteKeywordArgs("x|tojson(indent=2)"));
    }

    @Test
    void messageTextIsNeverRenderedAsTemplateAndTheFirstRaiseIsReported() {
        ChatTemplate echo = ChatTemplate.of("{% for m in messages %}{{ m['content'] }}{% endfor %}", null, null);
        assertEquals("{{ 7 * 6 }} {% if true %}x{% endif %}",
                echo.render(List.of(ChatMessage.user("{{ 7 * 6 }} {% if true %}x{% endif %}")), false));
        ChatTemplate twice = ChatTemplate.of("{{ raise_exception('first') }}{{ raise_exception('second') }}", null, null);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> twice.render(List.of(ChatMessage.user("x")), false));
        assertEquals("first", e.getMessage());
    }
}
