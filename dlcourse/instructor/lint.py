"""Problems in a chapter's exercises that would break assigning or grading it."""

from __future__ import annotations

from .chapter import gate, roles
from .markers import (BEGIN_SOLUTION, END_SOLUTION, final_checker_call, has_markers,
                      is_marker, strip_solutions)
from .myst import directives

__all__ = ["lint_notebook"]


def lint_notebook(nb, *, checkers: set[str] | None = None) -> list[str]:
    """Problems in a chapter's exercises that would break assigning or grading it.

    Checks that gated solutions open and close, name an exercise of the notebook and
    hold a code cell with markers (else the whole answer stays visible); that each
    code cell with markers ends with a ``check_*`` call (one of ``checkers`` when
    given); and that markers appear only in gated code cells, written exactly
    ``### BEGIN SOLUTION`` / ``### END SOLUTION``.
    Returns a list of messages, empty when all is well.
    """
    problems = []
    labels = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for d in directives(cell.source):
                if d.name in ("exercise", "exercise-start"):
                    label = d.options.get("label", "")
                    if not label:
                        problems.append(f"cell {index}: an exercise without a :label:")
                    elif label in labels:
                        problems.append(f"cell {index}: exercise label {label!r} is used twice")
                    labels.append(label)
    depth = 0
    for index, cell in enumerate(nb.cells):
        kind = gate(cell)
        if kind == "start":
            if depth:
                problems.append(f"cell {index}: solution-start inside an open gated solution")
            depth += 1
        elif kind == "end":
            if not depth:
                problems.append(f"cell {index}: solution-end without a solution-start")
            depth = max(0, depth - 1)
    if depth:
        problems.append("a solution-start is never closed by a solution-end")

    cell_roles = roles(nb)
    blocks: dict[str, list[int]] = {}
    for index, ((role, label), cell) in enumerate(zip(cell_roles, nb.cells)):
        if role == "gate" and gate(cell) == "start":
            if label is None:
                problems.append(f"cell {index}: solution-start names no exercise")
            elif label not in labels:
                problems.append(f"cell {index}: solution-start names {label!r}, "
                                f"which is not an exercise label of this notebook")
            blocks.setdefault(label or "?", [])
        if role == "inside" and cell.cell_type == "code":
            blocks.setdefault(label, []).append(index)
        for number, line in enumerate(cell.source.split("\n"), start=1):
            if is_marker(line):
                where = f"cell {index} line {number}"
                if role != "inside" or cell.cell_type != "code":
                    problems.append(f"{where}: a solution marker outside the code "
                                    f"cells of a gated solution")
                elif line.strip() not in (BEGIN_SOLUTION, END_SOLUTION):
                    problems.append(f"{where}: write the marker exactly as "
                                    f"{BEGIN_SOLUTION!r} or {END_SOLUTION!r}; got {line!r}")
        if cell.cell_type == "code" and has_markers(cell.source):
            try:
                strip_solutions(cell.source)
            except ValueError as err:
                problems.append(f"cell {index}: {err}")
    for label, indices in blocks.items():
        if not indices:
            continue
        if not any(has_markers(nb.cells[i].source) for i in indices):
            problems.append(f"{label}: no code cell of its solution has "
                            f"{BEGIN_SOLUTION!r} markers, so a student copy would show "
                            f"the whole answer")
        for i in indices:
            if not has_markers(nb.cells[i].source):
                continue
            call = final_checker_call(nb.cells[i].source)
            if call is None:
                problems.append(f"{label}: cell {i} must end with a checker call "
                                f"`dlcourse.exercises.<chapter>.check_<name>(...)`")
            elif checkers is not None and call not in checkers:
                problems.append(f"{label}: calls {call}, which no dlcourse.exercises "
                                f"module defines")
    return problems
