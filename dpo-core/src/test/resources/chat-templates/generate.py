#!/usr/bin/env python3
"""Renders each family's chat template with Jinja2 the way transformers' apply_chat_template does
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, raise_exception, tojson with
ensure_ascii=False) and writes expected.json, the golden FamilyChatTemplatesTest compares against.

Run from this folder: python3 generate.py   (needs only jinja2; checked with Jinja2 3.1.6)
"""
import json
from jinja2.exceptions import TemplateError
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

FAMILIES = {
    # template file, bos_token, eos_token (as in each model's tokenizer_config.json; None = not set)
    "qwen3": ("qwen3.jinja", None, "<|im_end|>"),
    "gemma2": ("gemma2.jinja", "<bos>", "<eos>"),
    "gemma3": ("gemma3.jinja", "<bos>", "<eos>"),
    "qwen3-thinking-2507": ("qwen3-thinking-2507.jinja", None, "<|im_end|>"),
    "phi3-mini": ("phi3-mini.jinja", "<s>", "<|endoftext|>"),
    "phi3.5-mini": ("phi3.5-mini.jinja", "<s>", "<|endoftext|>"),
    "phi4-mini": ("phi4-mini.jinja", "<|endoftext|>", "<|endoftext|>"),
}


def m(role, content):
    return {"role": role, "content": content}


U1 = m("user", "What is the capital of France?")
A1 = m("assistant", "Paris.")
U2 = m("user", "And of Italy?")
A2 = m("assistant", "Rome.")
SYS = m("system", "You are terse.")
TRICKY = m("user", "Keep {{ braces }} and {% if x %}tags{% endif %} as text; héllo — 日本語 🙂, quote ' \" \\ done")
SPACED = m("user", "   padded question \n\n")
THINK = m("assistant", "<think>\nThe user asks for a capital.\n</think>\n\nParis.")
REASONED = {"role": "assistant", "content": "\nParis.", "reasoning_content": "\nCapital of France.\n"}
TOOL_CALL = {"role": "assistant", "content": "",
             "tool_calls": [{"function": {"name": "capital", "arguments": {"country": "Italy", "exact": True}}}]}
TOOL_RESULT = m("tool", "{\"capital\": \"Rome\"}")
EMPTY_SYSTEM = m("system", "")

CASES = [
    ("one user turn", [U1], True, {}),
    ("one exchange", [U1, A1], False, {}),
    ("two exchanges then a prompt", [U1, A1, U2], True, {}),
    ("two whole exchanges", [U1, A1, U2, A2], False, {}),
    ("system first", [SYS, U1, A1], False, {}),
    ("system and a prompt", [SYS, U1], True, {}),
    ("text that looks like template code", [TRICKY], True, {}),
    ("padded content", [SPACED, A1], False, {}),
    ("assistant reasoning in content", [U1, THINK], False, {}),
    ("reasoning before the last query", [U1, THINK, U2], True, {}),
    ("thinking disabled", [U1], True, {"enable_thinking": False}),
    ("thinking enabled", [U1], True, {"enable_thinking": True}),
    ("assistant reasoning as a field", [U1, REASONED], False, {}),
    ("reasoning field before the last query", [U1, REASONED, U2], True, {}),
    ("tool call and result", [U2, TOOL_CALL, TOOL_RESULT], True, {}),
    ("empty system message", [EMPTY_SYSTEM, U1], True, {}),
    ("roles out of order", [U1, U2], True, {}),
    ("assistant first", [A1, U1], True, {}),
]


# Small templates, one Jinja2 feature each, rendered with the same environment (no messages).
FEATURES = [
    ("slice reverse", "{% for x in xs[::-1] %}{{ x }},{% endfor %}", {"xs": [1, 2, 3]}),
    ("slice tail", "{{ xs[1:]|length }}{% for x in xs[1:] %}{{ x }}{% endfor %}", {"xs": ["a", "b", "c"]}),
    ("slice of string", "{{ s[1:-1] }}|{{ s[::2] }}|{{ s[:2] }}", {"s": "héllo"}),
    ("namespace kwargs and set attribute", "{% set ns = namespace(n=xs|length - 1, seen=false) %}{% for x in xs %}{% if x == 'b' %}{% set ns.seen = true %}{% set ns.n = loop.index0 %}{% endif %}{% endfor %}{{ ns.n }} {{ ns.seen }}", {"xs": ["a", "b", "c"]}),
    ("print dict", "{{ d }}", {"d": {"a": 1, "b": "x", "c": [True, None], "d": 1.5}}),
    ("print list", "{{ xs }}", {"xs": ["x", 1, False, None, {"k": "v"}]}),
    ("print booleans", "{{ t }} {{ f }} {{ true }} {{ [t, none] }}", {"t": True, "f": False}),
    ("string with quote printed in list", "{{ xs }}", {"xs": ["it's", "a\"b", "back\\slash", "new\nline"]}),
    ("is tests on string", "{{ s is string }} {{ s is iterable }} {{ s is sequence }} {{ s is mapping }}", {"s": "abc"}),
    ("is tests on dict", "{{ d is string }} {{ d is iterable }} {{ d is sequence }} {{ d is mapping }}", {"d": {"a": 1}}),
    ("is tests on list", "{{ xs is string }} {{ xs is iterable }} {{ xs is sequence }} {{ xs is mapping }}", {"xs": [1]}),
    ("is tests on number", "{{ n is number }} {{ n is string }} {{ n is iterable }} {{ u is defined }}", {"n": 3}),
    ("none versus undefined", "{{ n }}|{{ none }}|{{ n is defined }}|{{ u is none }}|{{ n|default('d') }}|{{ d.get('z') }}", {"n": None, "d": {}}),
    ("dict iteration", "{% for k in d %}{{ k }};{% endfor %}", {"d": {"b": 1, "a": 2}}),
    ("dict items", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"b": 1, "a": "two"}}),
    ("string escapes in literals", "{{ 'a\\tb\\\\c\\'d' }}|{{ \"q\\\"q\\n\" }}|{{ 'x\\u00e9' }}", {}),
    ("string methods", "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.strip().startswith('ab') }}|{{ s.strip().endswith(('z', 'd')) }}|{{ s.split() }}|{{ 'a,b,,c'.split(',') }}|{{ 'x--y'.split('--', 1) }}", {"s": "  abcd \n"}),
    ("strip with chars", "{{ '\\n\\nhi\\n'.strip('\\n') }}|{{ 'xxhixx'.lstrip('x') }}|{{ 'xxhixx'.rstrip('x') }}", {}),
    ("loop variables", "{% for x in xs %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex0 }} {% endfor %}", {"xs": ["a", "b"]}),
    ("trim length tojson", "[{{ s|trim }}] {{ s|length }} {{ xs|length }} {{ d|tojson }} {{ s|tojson }}", {"s": " héllo\t", "xs": [1, 2], "d": {"k": ["é", 1.0, None, True], "n": 2}}),
    ("tojson indent", "{{ d|tojson(indent=2) }}", {"d": {"a": [1, {"b": None}]}}),
    ("content with template syntax stays text", "{{ s }}{{ s|trim }}{{ s ~ '!' }}", {"s": "{{ x }} {% if y %}z{% endif %} {# c #}"}),
    ("first raise is reported", "{% for x in xs %}{{ raise_exception('first: ' ~ x) }}{% endfor %}", {"xs": ["a", "b"]}),
    ("string concatenation and in", "{{ 'ab' in s }} {{ 'zz' not in s }} {{ s + '|' ~ 3 }}", {"s": "xaby"}),
    ("integer division and modulo", "{{ 7 // 2 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ 2 * 3 }} {{ -1 }}", {}),
    ("string index", "{{ s[0] }}{{ s[-1] }}", {"s": "abc"}),
    ("string repeat", "{{ '=' * 3 }}", {}),
    ("list literal and join", "{{ ['a', 'b']|join(', ') }} {{ [1, 2] }} {{ ['a', 'b'] + ['c'] }}", {}),
    ("tuple literal", "{{ ('a', 'b') }}", {}),
    ("dict get and keys", "{{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.keys()|list }}", {"d": {"a": 1}}),
    ("upper lower title replace", "{{ s.upper() }} {{ s.lower() }} {{ s.title() }} {{ s.replace('o', '0') }} {{ s|upper }} {{ s|capitalize }}", {"s": "hello wOrld"}),
    ("conditional expression and default", "{{ 'y' if t else 'n' }} {{ u|default('d') }} {{ 'n' if not t }}|", {"t": True}),
    ("attribute of dict by dot and subscript", "{{ m.role }} {{ m['content'] }} {{ m.missing is defined }}", {"m": {"role": "user", "content": "hi"}}),
    ("break and continue", "{% for x in xs %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}", {"xs": [1, 2, 3, 4, 5]}),
    ("macro", "{% macro f(x, y='d') %}<{{ x }}{{ y }}>{% endmacro %}{{ f(1) }}{{ f(2, y='e') }}", {}),
    ("selectattr and map", "{{ ms|selectattr('role', 'equalto', 'user')|map(attribute='content')|join('/') }}", {"ms": [{"role": "user", "content": "a"}, {"role": "x", "content": "b"}, {"role": "user", "content": "c"}]}),
    ("float printing", "{{ 1.0 }} {{ f }} {{ 0.1 + 0.2 }} {{ 10 / 4 }}", {"f": 2.50}),
]


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


def main():
    env = environment()
    out = []
    for family, (file, bos, eos) in FAMILIES.items():
        with open(file, encoding="utf-8") as f:
            template = env.from_string(f.read())
        for name, messages, generation_prompt, variables in CASES:
            tokens = {k: v for k, v in (("bos_token", bos), ("eos_token", eos)) if v is not None}
            case = {"family": family, "case": name, "messages": messages,
                    "add_generation_prompt": generation_prompt, "variables": variables}
            try:
                case["text"] = template.render(messages=messages, tools=None, documents=None,
                                               add_generation_prompt=generation_prompt, **variables, **tokens)
            except TemplateError as e:
                case["error"] = str(e)
            out.append(case)
    features = []
    for name, source, variables in FEATURES:
        case = {"case": name, "template": source, "variables": variables}
        try:
            case["text"] = env.from_string(source).render(**variables)
        except TemplateError as e:
            case["error"] = str(e)
        features.append(case)
    with open("expected.json", "w", encoding="utf-8") as f:
        json.dump({"jinja2": __import__("jinja2").__version__, "cases": out, "features": features}, f,
                  ensure_ascii=False, indent=1)
        f.write("\n")
    print(len(out), "cases,", len(features), "features")


if __name__ == "__main__":
    main()
