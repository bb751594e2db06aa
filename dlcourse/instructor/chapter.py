"""What a chapter is made of: its exercises, their statements, their answer cells.

The chapters are the instructor's edition. An exercise is a ``{exercise}`` (or
``{exercise-start}``) directive with a ``:label:``. A **code** exercise has a *gated*
solution: a markdown cell opening it (``{solution-start} <label>``), the code cells of
the answer, a markdown cell closing it (``{solution-end}``). A **pen-and-paper**
exercise has a ``{solution} <label>`` directive holding the worked answer. A gate cell
may hold chapter text too: before its ``solution-start``, after its ``solution-end``
(often the next exercise's statement).

A student copy (:mod:`dlcourse.instructor.assign`) records which exercise each answer
cell belongs to in ``cell.metadata["dlcourse"]``: ``{"exercise": label}`` for code,
``{"exercise": label, "kind": "pen-and-paper"}`` for a written answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markers import checker_calls
from .myst import directives

__all__ = ["META", "SKIP_TAG", "DEFAULT_MINUTES", "DEFAULT_POINTS", "Exercise", "gate", "gate_outside",
           "roles", "exercise_cells", "answer_cells", "statements", "exercises_of", "is_chapter",
           "is_student_copy"]

#: Metadata key of dlcourse in notebooks and cells.
META = "dlcourse"
#: Cell tag that keeps a stub from running when the student edition is built.
SKIP_TAG = "skip-execution"
#: Estimated minutes of an exercise whose author gave none.
DEFAULT_MINUTES = {"pen-and-paper": 10, "code": 20}
#: Points of an exercise whose statement gives none (``:class: points-<n>`` overrides):
#: the one place points come from, for nbgrader and the built-in gradebook alike.
DEFAULT_POINTS = {"pen-and-paper": 2, "code": 3}
CODE, PAPER = "code", "pen-and-paper"

_MINUTES_CLASS = re.compile(r"^minutes-(\d+)$")
_POINTS_CLASS = re.compile(r"^points-(\d+)$")


@dataclass(frozen=True)
class Exercise:
    """One exercise of the book, as the instructor guide lists it."""

    label: str
    chapter: str  # the toc entry of its page, e.g. "book/core/activations"
    kind: str  # "code" or "pen-and-paper"
    checkers: tuple[str, ...]  # check_* functions its code calls
    minutes: int | None  # from :class: minutes-<n>; None when the author gave none
    given_points: int | None = None  # from :class: points-<n>; None: DEFAULT_POINTS

    @property
    def points(self) -> int:
        """What the exercise is worth: ``points-<n>`` if given, else the kind's default."""
        return self.given_points if self.given_points is not None else DEFAULT_POINTS[self.kind]

    @property
    def auto_checked(self) -> bool:
        return bool(self.checkers)

    @property
    def estimated_minutes(self) -> int:
        return self.minutes if self.minutes is not None else DEFAULT_MINUTES[self.kind]


def gate(cell) -> str | None:
    """``"start"``/``"end"`` for a gated solution's opening/closing markdown cell."""
    if cell.cell_type != "markdown":
        return None
    names = {d.name for d in directives(cell.source)}
    if "solution-start" in names:
        return "start"
    if "solution-end" in names:
        return "end"
    return None


def gate_outside(cell) -> list[bool]:
    """Per line of a gate cell: whether it lies outside the gated solution."""
    lines = cell.source.split("\n")
    outside = [False] * len(lines)
    for d in directives(cell.source):
        if d.name == "solution-start":
            outside[: d.start] = [True] * d.start
        elif d.name == "solution-end":
            outside[d.stop :] = [True] * (len(lines) - d.stop)
    return outside


def roles(nb) -> list[tuple[str, str | None]]:
    """Per cell: ("gate", label), ("inside", label) or ("outside", None)."""
    out = []
    label = None
    for cell in nb.cells:
        kind = gate(cell)
        if kind == "start":
            start = next(d for d in directives(cell.source) if d.name == "solution-start")
            label = start.argument.strip() or None
            out.append(("gate", label))
        elif kind == "end":
            out.append(("gate", label))
            label = None
        elif label is not None:
            out.append(("inside", label))
        else:
            out.append(("outside", None))
    return out


def _tag(cell) -> dict:
    tag = cell.get("metadata", {}).get(META, {})
    return tag if isinstance(tag, dict) else {}


def exercise_cells(nb) -> dict[int, str]:
    """Map code-cell index -> exercise label, for the code cells of exercises.

    A cell belongs to an exercise when it lies in that exercise's gated solution
    (instructor's notebook) or carries ``metadata["dlcourse"]["exercise"]`` (student
    copy).
    """
    out = {}
    for index, ((role, label), cell) in enumerate(zip(roles(nb), nb.cells)):
        if cell.cell_type != "code":
            continue
        tagged = _tag(cell).get("exercise")
        if tagged:
            out[index] = str(tagged)
        elif role == "inside" and label:
            out[index] = label
    return out


def answer_cells(nb) -> dict[int, str]:
    """Map markdown-cell index -> label, for the pen-and-paper answer cells of a student copy."""
    return {i: str(_tag(c)["exercise"]) for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and _tag(c).get("kind") == PAPER
            and _tag(c).get("exercise")}


def _statement_text(cell, role: str) -> str:
    """The part of a markdown cell that is chapter text (not solution)."""
    if role == "gate":
        lines = cell.source.split("\n")
        return "\n".join(l for l, out in zip(lines, gate_outside(cell)) if out)
    return cell.source if role == "outside" else ""


def statements(nb) -> list[tuple[int, str, list[str]]]:
    """``(cell index, label, classes)`` of every labelled exercise statement, in order.

    Statements are read from every markdown cell outside a gated solution, the
    chapter part of gate cells included.
    """
    found = []
    for index, ((role, _), cell) in enumerate(zip(roles(nb), nb.cells)):
        if cell.cell_type != "markdown":
            continue
        for d in directives(_statement_text(cell, role)):
            if d.name in ("exercise", "exercise-start") and d.options.get("label"):
                found.append((index, d.options["label"], d.options.get("class", "").split()))
    return found


def exercises_of(nb, chapter: str) -> list[Exercise]:
    """Every exercise of one chapter (instructor's notebook or student copy), in order."""
    code: dict[str, list[int]] = {}
    for index, label in exercise_cells(nb).items():
        code.setdefault(label, []).append(index)
    found = []
    for _, label, classes in statements(nb):
        minutes = next((int(m[1]) for m in map(_MINUTES_CLASS.match, classes) if m), None)
        points = next((int(m[1]) for m in map(_POINTS_CLASS.match, classes) if m), None)
        source = "\n".join(nb.cells[i].source for i in code.get(label, []))
        kind = CODE if label in code else PAPER
        found.append(Exercise(label, chapter, kind, checker_calls(source), minutes, points))
    return found


def is_student_copy(nb) -> bool:
    """Whether ``nb`` was written by ``python -m dlcourse assign`` (not a chapter)."""
    meta = nb.get("metadata", {}).get(META, {})
    return isinstance(meta, dict) and meta.get("edition") == "student"


def is_chapter(nb) -> bool:
    """Whether ``nb`` looks like a course chapter: a title and no student-copy mark."""
    if is_student_copy(nb):
        return False
    return any(c.cell_type == "markdown" and c.source.lstrip().startswith("# ")
               for c in nb.cells)
