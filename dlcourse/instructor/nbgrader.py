"""nbgrader-native assignments: a chapter as an nbgrader course's source notebook.

``python -m dlcourse assign --nbgrader COURSE_DIR [CHAPTER...]`` writes
``COURSE_DIR/source/<assignment>/<chapter>.ipynb`` with nbgrader's own cell metadata
(``cell.metadata["nbgrader"]``, schema version 3, as nbgrader 0.9's *Create
Assignment* toolbar writes it):

========================================  =============================================
In the chapter                            In the nbgrader source
========================================  =============================================
code between the solution markers         an *autograded answer* cell (``solution``)
the exercise's final checker call         a locked *autograder tests* cell with the
                                          exercise's points: the self-check, then the
                                          hidden test between ``### BEGIN HIDDEN TESTS``
                                          and ``### END HIDDEN TESTS``
other code of a gated solution            a locked read-only cell
a ``{solution}`` (pen-and-paper answer)   a *manually graded answer* markdown cell
                                          holding the worked answer, with its points
an exercise statement                     a locked read-only cell
solution prose of a gated solution        removed (nbgrader would release it)
========================================  =============================================

Points come from :attr:`dlcourse.instructor.chapter.Exercise.points`; hidden tests from
:mod:`dlcourse.instructor.hidden`. ``nbgrader generate_assignment`` then clears the
answers and the hidden tests for the release; ``nbgrader autograde`` restores every
locked cell from this source before it runs a submission.
"""

from __future__ import annotations

import ast
import copy
import inspect
import re
import textwrap
from pathlib import Path

import nbformat

from .chapter import META, PAPER, exercises_of, gate_outside, roles, statements
from .files import InputError, read_chapter
from .hidden import hidden_test
from .markers import has_markers
from .myst import directives, option_lines, remove_directives

__all__ = ["SCHEMA_VERSION", "nbgrader_notebook", "write_course", "CONFIG"]

SCHEMA_VERSION = 3
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_IMPORT = re.compile(r"^\s*from\s+dlcourse\.exercises\s+import\s+(\w+)\s+as\s+(\w+)\s*$", re.M)

#: ``nbgrader_config.py`` written into a new course folder.
CONFIG = '''\
# nbgrader configuration written by `python -m dlcourse assign --nbgrader`.
c = get_config()
c.CourseDirectory.course_id = "dlcourse"
# The stub of an answer (dlcourse assign writes the same one).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
# A chapter runs in the kernel named "python3", which must import dlcourse.
c.ExecutePreprocessor.timeout = 300
c.Execute.kernel_name = "python3"
'''


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA_VERSION, "solution": solution}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _split_final_call(source: str) -> tuple[str, str]:
    """``(answer, call)``: the cell without its last statement, and that statement."""
    lines = source.rstrip("\n").split("\n")
    try:
        start = ast.parse(source).body[-1].lineno - 1
    except (SyntaxError, IndexError):  # magics: the last non-empty line is the call
        start = max(k for k, line in enumerate(lines) if line.strip())
    return "\n".join(lines[:start]).rstrip("\n"), "\n".join(lines[start:])


def _hidden_block(module: str | None, label: str) -> str:
    fn = hidden_test(module, label) if module else None
    if fn is None:
        return ""
    params = ", ".join(inspect.signature(fn).parameters)
    body = textwrap.dedent(inspect.getsource(fn)).rstrip("\n")
    return f"\n\n{BEGIN_HIDDEN}\n{body}\n\n\n{fn.__name__}({params})\n{END_HIDDEN}"


def _worked_answers(cell) -> list[tuple[str, str]]:
    """``(label, worked answer)`` of each ``{solution}`` directive of a markdown cell."""
    lines = cell.source.split("\n")
    out = []
    for d in directives(cell.source):
        if d.name == "solution":
            body = d.body[option_lines(d.body):]
            out.append((d.argument.strip(), "\n".join(body).strip("\n") or lines[d.start]))
    return out


def nbgrader_notebook(nb, *, module: str | None = None):
    """The nbgrader source version of a chapter (``nb`` is not modified).

    ``module`` names the chapter's checker and hidden-test module (default: read from
    the chapter's ``from dlcourse.exercises import <module> as ...`` line).
    """
    nb = copy.deepcopy(nb)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    aliases = {alias: mod for mod, alias in _IMPORT.findall(text)}
    module = module or next(iter(aliases.values()), None)
    exercises = {ex.label: ex for ex in exercises_of(nb, "")}
    statement_cells = {index for index, _, _ in statements(nb)}
    tests_of: dict[str, int] = {}
    for index, label in ((i, l) for i, (r, l) in enumerate(roles(nb)) if r == "inside"):
        cell = nb.cells[index]
        if cell.cell_type == "code" and has_markers(cell.source):
            tests_of[label] = tests_of.get(label, 0) + 1

    cells = []
    seen: dict[str, int] = {}

    def new_id(base: str) -> str:
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}-{seen[base]}"

    for index, ((role, label), cell) in enumerate(zip(roles(nb), nb.cells)):
        cell.metadata.pop(META, None)
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if role == "inside" and cell.cell_type == "markdown":
            continue  # solution prose of a gated solution
        if role == "gate":
            lines = cell.source.split("\n")
            cell.source = "\n".join(l for l, o in zip(lines, gate_outside(cell)) if o).strip("\n")
            if not cell.source.strip():
                continue
        if role == "inside" and cell.cell_type == "code":
            if not has_markers(cell.source):
                cell.metadata.update(_meta(new_id(f"{label}-code"), locked=True))
                cells.append(cell)
                continue
            answer, call = _split_final_call(cell.source)
            cell.source = answer
            cell.metadata.update(_meta(new_id(f"{label}-answer"), solution=True))
            cells.append(cell)
            imports = []
            called = re.match(r"\s*(\w+)\.check_", call)
            if called and called[1] in aliases:
                imports.append(f"from dlcourse.exercises import {aliases[called[1]]} as {called[1]}")
            source = "\n".join(imports + [call]) + _hidden_block(module, label)
            points = exercises[label].points / tests_of[label] if label in exercises else 0
            points = int(points) if float(points).is_integer() else round(points, 2)
            cells.append(nbformat.v4.new_code_cell(source, metadata=_meta(
                new_id(f"{label}-tests"), grade=True, locked=True, points=points)))
            continue
        if cell.cell_type == "markdown":
            answers = _worked_answers(cell)
            if answers:
                cell.source = remove_directives(cell.source, {"solution"})
            if cell.source.strip():
                if index in statement_cells:
                    cell.metadata.update(_meta(new_id(f"cell-{cell.get('id', index)}"),
                                               locked=True))
                cells.append(cell)
            for answer_label, worked in answers:
                ex = exercises.get(answer_label)
                points = ex.points if ex is not None and ex.kind == PAPER else 0
                cells.append(nbformat.v4.new_markdown_cell(worked, metadata=_meta(
                    new_id(f"{answer_label}-answer"), grade=True, solution=True,
                    points=points)))
            continue
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop(META, None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def write_course(course: str | Path, chapters: list[str | Path], *,
                 assignment: str | None = None) -> list[Path]:
    """Write each chapter into ``course/source/<assignment>/<chapter>.ipynb``.

    ``assignment`` defaults to the chapter's file name (one assignment per chapter).
    A course folder without ``nbgrader_config.py`` gets :data:`CONFIG`. Every chapter
    is read and converted before anything is written. Returns the paths written.
    """
    course = Path(course)
    if course.exists() and not course.is_dir():
        raise InputError(f"{course}: expected an nbgrader course folder; received a file")
    if not chapters:
        raise InputError("assign --nbgrader: name at least one chapter")
    out = []
    for path in map(Path, chapters):
        if path.suffix != ".ipynb":
            raise InputError(f"assign: notebooks must be .ipynb files; received {str(path)!r}")
        nb = read_chapter(path)
        try:
            converted = nbgrader_notebook(nb)
        except ValueError as err:
            raise InputError(f"{path}: {err}") from None
        target = course / "source" / (assignment or path.stem) / path.name
        out.append((converted, target))
    course.mkdir(parents=True, exist_ok=True)
    if not (course / "nbgrader_config.py").exists():
        (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    written = []
    for nb, target in out:
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        written.append(target)
    return written
