package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Python-Jinja2 semantics that Hugging Face templates rely on, each with the output Jinja2 gives
 * (derived in the comments), rendered through the Jinjava shims.
 */
class ChatTemplateTest {

    /** Mistral-7B-Instruct-v0.1's published template: raises on roles that do not alternate. */
    static final String MISTRAL = "{{ bos_token }}{% for message in messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
            + "{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
            + "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
            + "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}"
            + "{% endif %}{% endfor %}";

    private static String render(String template, List<ChatMessage> messages) {
        return ChatTemplate.of(template, "<s>", "</s>").render(messages, false);
    }

    @Test
    void mistralTemplateRendersAlternatingTurns() {
        // bos + "[INST] Hi [/INST]" + "Hello" + eos + "[INST] Bye [/INST]"
        String out = render(MISTRAL, List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"),
                ChatMessage.user("Bye")));
        assertEquals("<s>[INST] Hi [/INST]Hello</s>[INST] Bye [/INST]", out);
    }

    @Test
    void raiseExceptionSurfacesWithTheTemplatesMessage() {
        // index 0 is an assistant message: (False) != (True) → raise_exception(...)
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> render(MISTRAL, List.of(ChatMessage.assistant("Hello"))));
        assertEquals("Conversation roles must alternate user/assistant/user/assistant/...", e.getMessage());
        ChatTemplateException system = assertThrows(ChatTemplateException.class,
                () -> render(MISTRAL, List.of(ChatMessage.user("a"), ChatMessage.system("b"))));
        assertEquals("Only user and assistant roles are supported!", system.getMessage());
        // the next render on the same thread is unaffected
        assertEquals("<s>[INST] ok [/INST]", render(MISTRAL, List.of(ChatMessage.user("ok"))));
    }

    @Test
    void pythonStringMethods() {
        List<ChatMessage> m = List.of(ChatMessage.user("  Hello, big world \n"));
        // str.strip() removes the spaces and the newline at both ends
        assertEquals("[Hello, big world]", render("[{{ messages[0].content.strip() }}]", m));
        // lstrip / rstrip one side only; strip(chars) removes those characters
        assertEquals("[Hello, big world \n]", render("[{{ messages[0]['content'].lstrip() }}]", m));
        assertEquals("[xxabcx|abc]", render("[{{ 'xxabcx'.rstrip('y') }}|{{ 'xxabcx'.strip('x') }}]", m));
        // split(',') keeps empties; [-1] and .strip() chain after the call
        assertEquals("big world", render("{{ messages[0].content.split(',')[-1].strip() }}", m));
        // split() without a separator splits on runs of whitespace and drops empty ends → 3 words
        assertEquals("3", render("{{ messages[0].content.split() | length }}", m));
        assertEquals("yes", render("{% if messages[0].content.strip().startswith('Hello') %}yes{% endif %}", m));
        assertEquals("no", render("{% if 'abc'.endswith('x') %}yes{% else %}no{% endif %}", m));
        assertEquals("a-b-c", render("{{ '-'.join(['a', 'b', 'c']) }}", m));
        assertEquals("HI|hi|They'Re Here|Hello", render(
                "{{ 'hi'.upper() }}|{{ 'HI'.lower() }}|{{ \"they're here\".title() }}|{{ 'hELLO'.capitalize() }}", m));
        // the method name inside a string literal is text, not a call
        assertEquals("x.strip()", render("{{ 'x.strip()' }}", m));
    }

    @Test
    void dictGetWithDefaultAndKeys() {
        List<ChatMessage> m = List.of(ChatMessage.user("u"));
        assertEquals("user|none|role,content", render("{{ messages[0].get('role') }}|"
                + "{{ messages[0].get('tool_calls', 'none') }}|{{ messages[0].keys() | join(',') }}", m));
    }

    @Test
    void tojsonWritesPythonJsonDumpsLayout() {
        List<ChatMessage> m = List.of(ChatMessage.user("é\n\"q\""));
        // json.dumps(..., ensure_ascii=False): ", " and ": " separators, é kept, \n and " escaped
        assertEquals("[{\"role\": \"user\", \"content\": \"é\\n\\\"q\\\"\"}]", render("{{ messages | tojson }}", m));
        // indent=2: one item per line, "," at line ends, ": " after keys
        assertEquals("{\n  \"role\": \"user\"\n}", render("{{ {'role': messages[0].role} | tojson(indent=2) }}", m));
    }

    @Test
    void namespaceLoopVariablesAndDefinedTests() {
        List<ChatMessage> m = List.of(ChatMessage.system("s"), ChatMessage.user("u"), ChatMessage.assistant("a"));
        String t = "{% set ns = namespace(n=0) %}{% for x in messages %}{% set ns.n = ns.n + 1 %}"
                + "{{ x.role }}{% if not loop.last %},{% endif %}{% endfor %}|{{ ns.n }}|"
                + "{{ tools is defined }}{{ messages is defined }}|{% if not tools %}notools{% endif %}";
        assertEquals("system,user,assistant|3|FalseTrue|notools", render(t, m));
    }

    @Test
    void whitespaceControlFollowsTrimAndLstripBlocks() {
        List<ChatMessage> m = List.of(ChatMessage.user("u"));
        // lstrip_blocks removes the indentation before {% %}, trim_blocks the newline after it;
        // the newline after {{ }} stays.
        assertEquals("  u\nEND", render("{% for x in messages %}\n    {% if true %}\n  {{ x.content }}\n"
                + "    {% endif %}\n{% endfor %}\nEND", m));
        // {{- … -}} strips all whitespace on that side, newlines included
        assertEquals("a|u|b", render("a|  \n {{- messages[0].content -}} \n  |b", m));
        // comments: trim_blocks drops the newline after #}, lstrip the indentation before {#
        assertEquals("a X\nY", render("a {# note #}\nX\n   {# own line #}\nY", m));
        // keep_trailing_newline=False: one final newline of the template is dropped
        assertEquals("u\n", render("{{ messages[0].content }}\n\n", m));
    }

    @Test
    void unknownFilterIsAnErrorNotSilentlyIgnored() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{{ messages | no_such_filter }}", null, null));
        assertTrue(e.getMessage().contains("no_such_filter"), e.getMessage());
    }

    @Test
    void missingSpecialTokensAreUndefined() {
        // HF passes only the special tokens the tokenizer has; an undefined one prints as "",
        // and a boolean prints as Python's False.
        String out = ChatTemplate.of("[{{ bos_token }}]{{ eos_token is defined }}", null, null)
                .render(List.of(), false);
        assertEquals("[]False", out);
    }

    @Test
    void unsupportedConstructFailsLoudly() {
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(
                "{% for m in messages %}{% break %}{% endfor %}", null, null)
                .render(List.of(ChatMessage.user("u")), false));
    }
}
