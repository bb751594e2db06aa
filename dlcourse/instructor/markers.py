"""The one scanner of answer regions, and the one definition of "calls a checker".

An answer region is the lines between nbgrader's markers ``### BEGIN SOLUTION`` and
``### END SOLUTION``. As in nbgrader, a marker is any line *containing* ``BEGIN
SOLUTION`` (``END SOLUTION``); :func:`dlcourse.instructor.lint.lint_notebook` asks
for the exact spelling. Every command (assign, lint, the student edition, the
nbgrader export, the gradebook) finds regions with :func:`solution_regions` and
checker calls with :func:`checker_calls`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "CODE_STUB", "TEXT_STUB", "Region",
           "solution_regions", "is_marker", "has_markers", "strip_solutions", "answer_text",
           "checker_calls", "final_checker_call"]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
#: What replaces an answer in a code cell (nbgrader's stub).
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError")
#: What replaces an answer between markers in a markdown cell (nbgrader's stub).
TEXT_STUB = ("YOUR ANSWER HERE",)

_CHECK_CALL = re.compile(r"\b(check_\w+)\s*\(")


@dataclass(frozen=True)
class Region:
    """An answer region: ``begin`` and ``end`` are the 0-based lines of its markers."""

    begin: int
    end: int
    indent: str  # the indentation of the BEGIN marker


def solution_regions(source: str) -> list[Region]:
    """The answer regions of a cell's source, in order.

    Raises
    ------
    ValueError
        On a nested ``BEGIN``, an ``END`` without a ``BEGIN`` or a ``BEGIN`` never
        closed, naming the line: a student copy would otherwise hold part of an answer.
    """
    regions = []
    begin = None
    indent = ""
    for k, line in enumerate(source.split("\n")):
        if "BEGIN SOLUTION" in line:  # the one place a marker is recognised (is_marker)
            if begin is not None:
                raise ValueError(f"line {k + 1} opens a solution region inside another "
                                 f"one; close the first with {END_SOLUTION!r}")
            begin, indent = k, line[: len(line) - len(line.lstrip())]
        elif "END SOLUTION" in line:
            if begin is None:
                raise ValueError(f"line {k + 1} closes a solution region that was never "
                                 f"opened with {BEGIN_SOLUTION!r}")
            regions.append(Region(begin, k, indent))
            begin = None
    if begin is not None:
        raise ValueError(f"a solution region is opened but never closed with "
                         f"{END_SOLUTION!r}")
    return regions


def is_marker(line: str) -> bool:
    """Whether a line is a solution marker (``BEGIN`` or ``END``)."""
    return "BEGIN SOLUTION" in line or "END SOLUTION" in line


def has_markers(source: str) -> bool:
    """Whether ``source`` has a solution marker at all."""
    return is_marker(source)


def strip_solutions(source: str, stub: tuple[str, ...] = CODE_STUB) -> str:
    """Replace every answer region (markers included) by ``stub``.

    The stub takes the marker's indentation, so a region inside a function body
    leaves a valid function. Raises ``ValueError`` as :func:`solution_regions` does,
    with the prefix ``strip_solutions:``.
    """
    try:
        regions = solution_regions(source)
    except ValueError as err:
        raise ValueError(f"strip_solutions: {err}") from None
    lines = source.split("\n")
    out: list[str] = []
    last = 0
    for r in regions:
        out.extend(lines[last : r.begin])
        out.extend(r.indent + s for s in stub)
        last = r.end + 1
    out.extend(lines[last:])
    return "\n".join(out)


def answer_text(source: str) -> list[str]:
    """The text of each answer region of ``source`` (markers excluded), in order."""
    lines = source.split("\n")
    return ["\n".join(lines[r.begin + 1 : r.end]) for r in solution_regions(source)]


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _parse(source: str):
    try:
        return ast.parse(source)
    except SyntaxError:  # IPython magics (%timeit ...) or a student's typo
        return None


def checker_calls(source: str) -> tuple[str, ...]:
    """The ``check_*`` functions ``source`` calls, in order of first call.

    A call is ``check_<name>(...)`` or ``<module>.check_<name>(...)``. Source that is
    not plain Python (an IPython magic) is searched line by line instead.
    """
    tree = _parse(source)
    if tree is None:
        return tuple(dict.fromkeys(_CHECK_CALL.findall(source)))
    calls = sorted((node.lineno, node.col_offset, _called_name(node))
                   for node in ast.walk(tree) if isinstance(node, ast.Call)
                   and _called_name(node).startswith("check_"))
    return tuple(dict.fromkeys(name for _, _, name in calls))


def final_checker_call(source: str) -> str | None:
    """The ``check_*`` function called by the cell's last statement, or None."""
    tree = _parse(source)
    if tree is None:
        lines = [line for line in source.split("\n") if line.strip()
                 and not line.lstrip().startswith("#")]
        match = _CHECK_CALL.search(lines[-1]) if lines else None
        return match[1] if match else None
    body = tree.body
    if not body or not isinstance(body[-1], ast.Expr) or not isinstance(body[-1].value, ast.Call):
        return None
    name = _called_name(body[-1].value)
    return name if name.startswith("check_") else None
