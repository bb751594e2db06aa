"""MyST directives in a markdown cell, found by markdown-it-py (the parser MyST uses).

A directive is a fenced block whose info string is ``{name} argument``::

    ```{exercise}
    :label: ex-activations-1

    Show that ...
    ```

Fenced code blocks (```` ```python ````) are not directives, and a directive shown as an
example inside one is not taken for a real one. Colon fences (``:::{note}``) count too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

__all__ = ["Directive", "directives", "option_lines", "remove_directives"]


@dataclass(frozen=True)
class Directive:
    """A fenced MyST directive: ```` ```{name} argument ````.

    ``start`` is the line of the opening fence, ``stop`` the line after the closing
    fence (the end of the text for a fence never closed, as in MyST); ``body`` the
    lines between, options included.
    """

    name: str
    argument: str
    options: dict
    start: int
    stop: int
    body: tuple[str, ...]


_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    return MarkdownIt("commonmark").use(colon_fence_plugin)


def option_lines(body: tuple[str, ...] | list[str]) -> int:
    """How many lines at the top of a directive body are its options."""
    if body and body[0].strip() == "---":  # MyST's YAML block of options
        end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
        return 0 if end is None else end + 1
    n = 0
    while n < len(body) and _OPTION.match(body[n]):
        n += 1
    return n


def _options(body: tuple[str, ...]) -> dict:
    n = option_lines(body)
    if body and body[0].strip() == "---":
        if not n:
            return {}
        try:
            data = yaml.safe_load("\n".join(body[1 : n - 1])) or {}
        except yaml.YAMLError:
            return {}
        return {str(k): "" if v is None else str(v) for k, v in data.items()} \
            if isinstance(data, dict) else {}
    return {m["key"]: m["value"] for m in map(_OPTION.match, body[:n])}


def directives(text: str) -> list[Directive]:
    """The fenced directives of a MyST markdown text, in order."""
    if not isinstance(text, str):
        raise TypeError(f"directives: text must be a str (a cell's source); "
                        f"received {type(text).__name__}")
    return list(_directives(text))


@lru_cache(maxsize=4096)
def _directives(text: str) -> tuple[Directive, ...]:
    """:func:`directives`, parsed once per text: the instructor tools and the tests ask
    about the same cells many times (collecting the book's tests parsed each markdown
    cell about seven times). Directives are frozen; treat their options as read-only."""
    found = []
    for token in _parser().parse(text):
        if token.type not in ("fence", "colon_fence") or not token.map:
            continue
        name = _DIRECTIVE.match(token.info.strip())
        if name:
            body = tuple(token.content.split("\n")[:-1]) if token.content else ()
            found.append(Directive(name["name"], name["arg"], _options(body),
                                   token.map[0], token.map[1], body))
    return tuple(found)


def remove_directives(text: str, names: set[str]) -> str:
    """``text`` without its directives named in ``names`` (blank runs squeezed)."""
    lines = text.splitlines()
    drop = set()
    for d in directives(text):
        if d.name in names:
            drop.update(range(d.start, d.stop))
    kept = [line for k, line in enumerate(lines) if k not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
