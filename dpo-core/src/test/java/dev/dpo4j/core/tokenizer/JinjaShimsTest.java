package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The source pre-pass: what Jinjava is handed for the Python constructs it lacks. */
class JinjaShimsTest {

    @Test
    void methodCallsBecomeParenthesizedFilters() {
        assertEquals(" (x|py_strip()) ", JinjaShims.rewriteMethods(" x.strip() "));
        assertEquals("(m['content']|py_split('</think>'))[-1]",
                JinjaShims.rewriteMethods("m['content'].split('</think>')[-1]"));
        // chained calls nest; the receiver of the second call is the first call's result
        assertEquals("((a.b|py_strip())|py_startswith('x'))",
                JinjaShims.rewriteMethods("a.b.strip().startswith('x')"));
        // a string literal receiver, and a call inside the arguments
        assertEquals("('\\n'|py_join((xs|py_keys())))", JinjaShims.rewriteMethods("'\\n'.join(xs.keys())"));
        // inside a tag, with whitespace markers kept and the output passed through py_str
        assertEquals("{%- if (x|py_strip()) -%}{{- ( (x|py_lower()) )|py_str -}}{% endif %}",
                JinjaShims.preprocess("{%- if x.strip() -%}{{- x.lower() -}}{% endif %}"));
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
}
