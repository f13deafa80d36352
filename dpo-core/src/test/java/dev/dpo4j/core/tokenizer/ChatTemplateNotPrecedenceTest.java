package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prefix {@code not} rendered with Jinja2's precedence: it binds looser than comparisons,
 * {@code in} and {@code is} tests, and tighter than {@code and} / {@code or}. Each expected value is
 * what Python's Jinja2 prints, derived in the comment.
 */
class ChatTemplateNotPrecedenceTest {

    private static final List<ChatMessage> USER = List.of(ChatMessage.user("u"));

    /**
     * The opening of Meta's published Llama 3.1 Instruct template (tools branches and tool-call
     * messages left out), including its {@code not … is defined} defaults.
     */
    static final String LLAMA31_OPENING = "{{- bos_token }}\n"
            + "{%- if not tools_in_user_message is defined %}\n"
            + "    {%- set tools_in_user_message = true %}\n"
            + "{%- endif %}\n"
            + "{%- if not date_string is defined %}\n"
            + "    {%- set date_string = \"26 Jul 2024\" %}\n"
            + "{%- endif %}\n"
            + "{%- if not tools is defined %}\n"
            + "    {%- set tools = none %}\n"
            + "{%- endif %}\n"
            + "\n"
            + "{#- This block extracts the system message, so we can slot it into the right place. #}\n"
            + "{%- if messages[0]['role'] == 'system' %}\n"
            + "    {%- set system_message = messages[0]['content']|trim %}\n"
            + "    {%- set messages = messages[1:] %}\n"
            + "{%- else %}\n"
            + "    {%- set system_message = \"\" %}\n"
            + "{%- endif %}\n"
            + "\n"
            + "{#- System message + builtin tools #}\n"
            + "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n"
            + "{%- if tools is not none %}\n"
            + "    {{- \"Environment: ipython\\n\" }}\n"
            + "{%- endif %}\n"
            + "{{- \"Cutting Knowledge Date: December 2023\\n\" }}\n"
            + "{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n"
            + "{{- system_message }}\n"
            + "{{- \"<|eot_id|>\" }}\n"
            + "\n"
            + "{%- for message in messages %}\n"
            + "    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' }}\n"
            + "{%- endfor %}\n"
            + "{%- if add_generation_prompt %}\n"
            + "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n"
            + "{%- endif %}\n";

    private static String render(String template) {
        return ChatTemplate.of(template, "<s>", "</s>").render(USER, false);
    }

    @Test
    void notIsDefinedNegatesTheTest() {
        // not (x is defined): x undefined → True → "A"; once set, False → "B"
        assertEquals("A", render("{% if not x is defined %}A{% else %}B{% endif %}"));
        assertEquals("B", render("{% set x = 1 %}{% if not x is defined %}A{% else %}B{% endif %}"));
        assertEquals("B", render("{% if not messages is defined %}A{% else %}B{% endif %}"));
        // not (x is not none): x = 1 → not True → False
        assertEquals("B", render("{% set x = 1 %}{% if not x is not none %}A{% else %}B{% endif %}"));
    }

    @Test
    void notComparisonNegatesTheComparison() {
        // not (1 == 2) → True; Jinjava alone would compute (not 1) == 2
        assertEquals("yes", render("{% if not 1 == 2 %}yes{% endif %}"));
        assertEquals("True|False", render("{{ not 1 == 2 }}|{{ not 3 > 2 }}"));
        // messages[0]['role'] is 'user': not ('user' == 'system') → True
        assertEquals("notsystem", render("{% if not messages[0]['role'] == 'system' %}notsystem{% endif %}"));
        // not not (1 == 1) → True
        assertEquals("True", render("{{ not not 1 == 1 }}"));
    }

    @Test
    void notInNegatesMembership() {
        // not ('a' in 'abc') → False; not ('z' in 'abc') → True
        assertEquals("out", render("{% if not 'a' in 'abc' %}in{% else %}out{% endif %}"));
        assertEquals("in", render("{% if not 'z' in 'abc' %}in{% else %}out{% endif %}"));
    }

    @Test
    void notStopsAtAndOrAndConditionalExpressions() {
        // (not (x is defined)) and (not (1 == 2)) → True and True
        assertEquals("both", render("{% if not x is defined and not 1 == 2 %}both{% endif %}"));
        // (not (1 == 1)) or (2 == 2) → False or True
        assertEquals("either", render("{% if not 1 == 1 or 2 == 2 %}either{% endif %}"));
        // 'a' if (not (2 > 1)) else 'b' → 'b'
        assertEquals("b", render("{{ 'a' if not 2 > 1 else 'b' }}"));
    }

    @Test
    void llama31OpeningUsesDefaultDate() {
        // date_string undefined → "26 Jul 2024"; tools undefined → none, so no "Environment" line;
        // the system message is trimmed and moved into the system header; every tag is {%- or {{-
        // so the template's newlines and indentation vanish.
        List<ChatMessage> messages = List.of(ChatMessage.system("You are helpful.  "), ChatMessage.user(" Hi "));
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                + "You are helpful.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(expected, ChatTemplate.of(LLAMA31_OPENING, "<|begin_of_text|>", "<|eot_id|>")
                .render(messages, true));
    }

    @Test
    void llama31OpeningKeepsADateTheCallerDefined() {
        // date_string already defined: not (date_string is defined) is False, the default is not
        // applied. (Jinjava's own (not date_string) is defined would be True and overwrite it.)
        String template = "{%- set date_string = \"01 Jan 2025\" %}" + LLAMA31_OPENING;
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 01 Jan 2025\n\n<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nu<|eot_id|>";
        assertEquals(expected, ChatTemplate.of(template, "<|begin_of_text|>", "<|eot_id|>").render(USER, false));
    }
}
