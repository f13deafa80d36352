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
    "phi3": ("phi3.jinja", "<s>", "<|endoftext|>"),
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
    ("roles out of order", [U1, U2], True, {}),
    ("assistant first", [A1, U1], True, {}),
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
    with open("expected.json", "w", encoding="utf-8") as f:
        json.dump({"jinja2": __import__("jinja2").__version__, "cases": out}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(len(out), "cases")


if __name__ == "__main__":
    main()
