"""What a chapter's student copy must do when it runs top to bottom.

A learner opens the student copy (``python -m dlcourse assign``) and runs every cell:
it must fail at the exercise stubs and nowhere else, and its outputs must show no line
of a solution. Two tests check this, both with :func:`problems`:

- ``tests/test_assign.py`` executes the student copy of a chapter in a kernel of its own;
- ``tests/nbplugin.py`` (item ``<notebook>::student``) checks it on nbval's run of the
  chapter when the chapter's exercises come last (:func:`stub_cells` says when): every
  code cell before the first exercise cell is the same in both copies and runs on the
  same state, so nbval's run of those cells *is* the student's; the plugin runs the
  student's exercise cells in that kernel just before the worked ones, and the chapter
  is not executed a second time.
"""

from __future__ import annotations

from dlcourse.instructor import assign, chapter, markers

#: Errors a stub may raise: the stub itself, or a checker handed a function that raises it.
STUB_ERRORS = {"NotImplementedError", "ExerciseFailed"}


def stub_cells(student) -> list[int] | None:
    """Indices of the student copy's exercise code cells when every code cell from the
    first of them on is an exercise cell (the chapters' layout: exercises last), else
    ``None``. An empty list: the chapter has no code exercise."""
    exercise = chapter.exercise_cells(student)
    code = [i for i, c in enumerate(student.cells) if c.cell_type == "code"]
    if not exercise:
        return []
    tail = [i for i in code if i >= min(exercise)]
    return tail if set(tail) <= set(exercise) else None


def secret_lines(source) -> set[str]:
    """Lines of the chapter's solutions that appear nowhere outside them."""
    solution, public = assign.solution_lines(source)
    return solution - public - set(markers.CODE_STUB)


def problems(source, student, errors: dict, outputs: str) -> list[str]:
    """What is wrong with a run of ``student`` (the student copy of chapter ``source``).

    ``errors`` maps a code cell's index in ``student`` to its error (a dict with
    ``ename`` and ``evalue``) or to ``None``; ``outputs`` is the text of every output
    of the run. Empty when the copy failed only at its stubs, each with a stub error,
    and printed no solution line.
    """
    exercise = chapter.exercise_cells(student)
    stubs = {i for i in exercise if "raise NotImplementedError" in student.cells[i].source}
    failures = []
    for i, cell in enumerate(student.cells):
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        error = errors.get(i)
        if i not in exercise and error:
            failures.append(f"cell {i} (not an exercise) raised {error['ename']}: "
                            f"{error['evalue'][:200]}")
        elif i in stubs and not error:
            failures.append(f"cell {i} ({exercise[i]}) ran without error on the stub: "
                            f"its checker accepts an unanswered exercise")
        elif i in exercise and error and error["ename"] not in STUB_ERRORS:
            failures.append(f"cell {i} ({exercise[i]}) raised {error['ename']}, not "
                            f"NotImplementedError or ExerciseFailed: {error['evalue'][:200]}")
    leaked = [line for line in secret_lines(source) if len(line) > 8 and line in outputs]
    if leaked:
        failures.append(f"outputs show solution lines: {leaked[:5]}")
    return failures
