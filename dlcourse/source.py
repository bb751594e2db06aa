r"""Show the source of a dlcourse function in a chapter, as highlighted code.

``print(inspect.getsource(f))`` prints plain text, with the docstring's reStructuredText
(``.. math::``, double backquotes, ``:func:`` roles) as raw markup. :func:`show_source`
returns the same code as a Markdown code block, which Jupyter Book and JupyterLab both
highlight, with the docstring cut to its one-line summary; the rest of the docstring's
description stands above the code as Markdown, its formulas rendered as display math:

>>> from dlcourse import activations
>>> from dlcourse.source import show_source
>>> show_source(activations.sigmoid_grad)        # doctest: +SKIP

The code shown is the package's own (read from its file), never a copy.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

__all__ = ["show_source", "source_markdown"]

_ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|obj|eq|ref|doc):`~?([^`<]+?)(?:\s*<[^>]*>)?`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


class _Source:
    """A code listing that Jupyter shows as Markdown (highlighted) or as plain text."""

    def __init__(self, markdown: str, code: str):
        self.markdown, self.code = markdown, code

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.code


def _plain(text: str) -> str:
    """reStructuredText inline markup as Markdown: ``x`` -> `x`, :math:`a` -> $a$."""
    text = _MATH_ROLE.sub(r"$\1$", text)
    text = _ROLE.sub(r"`\1`", text)
    return _LITERAL.sub(r"`\1`", text)


_SECTION = re.compile(r"^-{3,}$")


def _description(doc: str) -> list[str]:
    """The docstring after its summary and before its first section (``Parameters``...),
    as Markdown blocks: each ``.. math::`` directive as display math, prose made Markdown."""
    lines = doc.splitlines()
    blocks, i = [], 0
    while i < len(lines) and lines[i].strip():        # skip the summary paragraph
        i += 1
    paragraph: list[str] = []

    def flush():
        if paragraph:
            text = "\n".join(paragraph)
            blocks.append(f"```pycon\n{text}\n```" if text.startswith(">>>") else _plain(text))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and _SECTION.match(lines[i + 1].strip()) and line.strip():
            break                                      # "Parameters" / "----------"
        if line.strip().startswith(".. math::"):
            flush()
            indent = len(line) - len(line.lstrip())
            body = [line.strip()[len(".. math::"):].strip()]
            i += 1
            while i < len(lines) and (not lines[i].strip()
                                      or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i].strip())
                i += 1
            formula = "\n".join(b for b in body if b)
            if formula:
                blocks.append(f"$$\n{formula}\n$$")
            continue
        if line.strip():
            paragraph.append(line.strip())
        else:
            flush()
        i += 1
    flush()
    return blocks


def _code_with_short_docstring(obj) -> str:
    """The object's source, dedented, each docstring cut to its summary line."""
    code = textwrap.dedent(inspect.getsource(obj))
    lines = code.splitlines()
    tree = ast.parse(code)
    cuts = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                summary = _plain(inspect.cleandoc(first.value.value).split("\n\n")[0])
                summary = " ".join(summary.split()).replace('"""', "'''")
                indent = " " * first.col_offset
                prefix = "r" if "\\" in summary else ""     # keep \sigma a backslash
                cuts.append((first.lineno, first.end_lineno, f'{indent}{prefix}"""{summary}"""'))
    for start, end, text in sorted(cuts, reverse=True):
        lines[start - 1:end] = [text]
    return "\n".join(lines).rstrip() + "\n"


def source_markdown(obj) -> str:
    """Markdown for ``obj``'s source: its docstring's description (formulas as display
    math), then the code, with the docstring cut to its summary, as a ``python`` block."""
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isclass(obj)):
        raise TypeError(
            "show_source: obj must be a function, method or class defined in a Python file; "
            f"received {obj!r} ({type(obj).__name__})"
        )
    try:
        code = _code_with_short_docstring(obj)
    except (OSError, TypeError) as err:
        raise TypeError(
            f"show_source: obj must be defined in a Python file whose source can be read; "
            f"received {getattr(obj, '__qualname__', obj)!r} ({err})"
        ) from None
    parts = _description(inspect.getdoc(obj) or "")
    fence = "````" if "```" in code else "```"
    parts.append(f"{fence}python\n{code}{fence}")
    return "\n\n".join(parts) + "\n"


def show_source(obj) -> _Source:
    """Show ``obj``'s source as highlighted code in a notebook or the built book.

    Above the code comes the docstring's description (what follows its summary line,
    up to its ``Parameters`` section) as Markdown, ``.. math::`` formulas as display
    math; in the code the docstring is cut to its summary line.

    Parameters
    ----------
    obj : function, method or class
        Defined in a Python file, e.g. ``activations.relu_grad`` or ``optimizers.Adam.update``.

    Returns
    -------
    object
        Displayed by Jupyter as Markdown (``_repr_markdown_``); its ``repr`` is the code.

    Raises
    ------
    TypeError
        If ``obj`` is not a function, method or class whose source can be read.
    """
    markdown = source_markdown(obj)
    return _Source(markdown, _code_with_short_docstring(obj))
