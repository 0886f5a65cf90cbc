"""Render a reseller's override: plain values in, only a few tags, nothing else reachable.

The context holds strings, numbers, booleans and lists or dicts of them, built by the
sender (never a model object), so the template cannot reach what the default could not.
The template may not load libraries, include or extend other templates, or print the
context; a name outside the e-mail's variables is refused when it is saved and rendered.
"""

import re

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith"}
    | {"comment", "endcomment", "spaceless", "endspaceless", "firstof", "cycle"}
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORDS = frozenset({"in", "not", "and", "or", "is", "None", "True", "False", "as", "reversed"})


class SandboxRefused(ValueError):
    """The override uses a tag or a variable it may not."""


def _not_a_variable(name) -> str:
    return _("“%(name)s” is not one of this e-mail's variables.") % {"name": name}


class _Missing(str):
    """Django prints ``string_if_invalid % name`` for an unknown name: refuse it instead."""

    def __mod__(self, name):
        raise SandboxRefused(_not_a_variable(name))


_ENGINE = Engine(autoescape=False, string_if_invalid=_Missing("%s"), libraries={}, builtins=[])


def sandbox_check(source: str, *, variables) -> None:
    """Raise SandboxRefused if ``source`` uses a tag or a variable it may not."""
    allowed = set(variables)
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag = bits[0] if bits else ""
            if tag not in ALLOWED_TAGS:
                raise SandboxRefused(
                    _("The tag “%(tag)s” cannot be used in an e-mail.") % {"tag": tag}
                )
            if tag == "for":
                allowed.update(re.findall(_NAME, " ".join(bits[1 : bits.index("in")])))
            if tag == "with":
                allowed.update(bit.split("=")[0] for bit in bits[1:] if "=" in bit)
            names = [_root(bit) for bit in bits[1:] if "=" not in bit] + [
                _root(bit.split("=", 1)[1]) for bit in bits[1:] if "=" in bit
            ]
        elif token.token_type == TokenType.VAR:
            names = [_root(token.contents)]
        else:
            continue
        for name in names:
            if name and name not in allowed and name not in _WORDS and name != "forloop":
                raise SandboxRefused(_not_a_variable(name))


def _root(expression: str) -> str:
    match = _NAME.match(expression.strip())
    if not match or expression.strip()[:1] in "\"'":
        return ""
    return match.group(0)


def sandbox_render(source: str, context: dict, *, variables) -> str:
    """Render ``source`` with ``context`` (plain values), or raise SandboxRefused."""
    sandbox_check(source, variables=variables)
    try:
        template = _ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise SandboxRefused(str(error)) from error
    plain = {name: context.get(name, "") for name in variables}
    return template.render(Context(plain, autoescape=False))
