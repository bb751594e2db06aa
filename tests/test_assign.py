"""Student notebooks (``python -m dlcourse assign``), the exercise list, and checkers.

Three groups of tests:

- on a small synthetic chapter built here with nbformat (:func:`demo_chapter`, also
  used by ``test_student_book.py``): every rule of the
  transformation, one at a time;
- on every notebook under ``book/`` (parametrized, so new chapters are covered
  automatically): the exercises are well formed, the student copy is valid nbformat
  and holds no solution line, and executing it fails only at the exercise stubs (on
  nbval's run of the chapter when nbval runs it in the same session:
  ``<notebook>::student`` in ``tests/nbplugin.py``);
- on every ``check_*`` function of ``dlcourse.exercises.*``: junk in, a clean
  ``ExerciseFailed`` out, never another exception, nothing printed.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dlcourse.instructor import assign, catalogue, chapter, lint, markers, myst
from dlcourse.exercises.checking import ExerciseFailed

import nbplugin
import studentcopy

ROOT = Path(__file__).resolve().parents[1]
BOOK_NOTEBOOKS = sorted(
    p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
#: Seconds per cell when a chapter's student copy is executed (nbval uses 300 in make test).
CELL_TIMEOUT_S = 300


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# ------------------------------------------------------------------ a demo chapter

SETUP = '''\
import numpy as np
from dlcourse.exercises.checking import as_array, checker, expect


@checker(hint="Multiply every element by two.")
def check_double(fn):
    expect(callable(fn), "pass the function itself, not its result")
    x = np.arange(4.0)
    got = as_array(fn(x), "double(x)", shape=x.shape)
    expect(np.allclose(got, 2 * x), "double(x) has the wrong values")


@checker(hint="Multiply every element by k.")
def check_scale(fn):
    expect(callable(fn), "pass the function itself, not its result")
    x = np.arange(4.0)
    got = as_array(fn(x, 3.0), "scale(x, 3)", shape=x.shape)
    expect(np.allclose(got, 3 * x), "scale(x, 3) has the wrong values")
'''

#: Text that exists only in the demo's solutions: none of it may reach a student.
SECRETS = ("SECRET-PROSE-1", "SECRET-PROSE-2", "SECRET-CODE-2", "SECRET-CODE-3",
           "SECRET-CODE-4")


def demo_chapter() -> nbformat.NotebookNode:
    """A chapter with the four exercise shapes CONTRIBUTING.md allows.

    ex-demo-1: pen-and-paper, its solution in a cell of its own; ex-demo-2: code,
    markers around a whole function, prose inside the gate; ex-demo-3: code, markers
    indented inside a function body; ex-demo-4: pen-and-paper, exercise and a
    four-backtick solution (with a code block inside) in one cell.
    """
    cells = [
        new_code_cell(SETUP, metadata={"tags": ["hide-input"]}),
        new_markdown_cell("# Demo chapter\n\n## Exercises"),
        new_markdown_cell("```{exercise}\n:label: ex-demo-1\n:class: minutes-5\n\n"
                          "What is $6 \\times 7$?\n```"),
        new_markdown_cell("```{solution} ex-demo-1\n:class: dropdown\n\n"
                          "SECRET-PROSE-1: it is forty-two.\n```"),
        new_markdown_cell("```{exercise}\n:label: ex-demo-2\n:class: minutes-15\n\n"
                          "Write `double(x)`, which returns $2x$.\n```"),
        new_markdown_cell("```{solution-start} ex-demo-2\n:class: dropdown\n```"),
        new_markdown_cell("SECRET-PROSE-2: multiply by two."),
        new_code_cell("### BEGIN SOLUTION\ndef double(x):\n"
                      "    return 2 * np.asarray(x)  # SECRET-CODE-2\n"
                      "### END SOLUTION\ncheck_double(double)"),
        new_markdown_cell("```{solution-end}\n```"),
        new_code_cell("total = 1 + 1\nprint(total)"),
        new_markdown_cell("```{exercise}\n:label: ex-demo-3\n\n"
                          "Complete `scale(x, k)`, which returns $kx$.\n```"),
        new_markdown_cell("```{solution-start} ex-demo-3\n```"),
        new_code_cell("def scale(x, k):\n    ### BEGIN SOLUTION\n"
                      "    return k * np.asarray(x)  # SECRET-CODE-3\n"
                      "    ### END SOLUTION\n\n\ncheck_scale(scale)"),
        new_markdown_cell("```{solution-end}\n```"),
        new_markdown_cell("````{exercise}\n:label: ex-demo-4\n\nWhy is ReLU cheap?\n````\n\n"
                          "````{solution} ex-demo-4\n:class: dropdown\n\n"
                          "```python\nprint('SECRET-CODE-4')\n```\n````\n\nThe end."),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.validate(nb)
    return nb


def execute(nb, cwd: Path, timeout: int = 60):
    """Run ``nb`` (a copy) to the end, errors allowed; returns the executed copy."""
    from nbclient import NotebookClient

    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _error(cell):
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _text(nb) -> str:
    return nbformat.writes(nb)


# ------------------------------------------------------------- the transformation


def test_strip_solutions_replaces_the_region_with_an_indented_stub():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\ncheck(f)"
    assert markers.strip_solutions(source) == (
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError\ncheck(f)")


@pytest.mark.parametrize("source, problem", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "never opened"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_strip_solutions_refuses_unbalanced_markers(source, problem):
    with pytest.raises(ValueError, match=f"strip_solutions: .*{problem}"):
        markers.strip_solutions(source)


def test_directives_skip_fenced_code_and_read_options():
    text = ("````md\n```{exercise}\n:label: not-real\n```\n````\n\n"
            "```{exercise}\n---\nlabel: ex-y\nclass: minutes-7\n---\nBody\n```")
    found = myst.directives(text)
    assert [(d.name, d.options.get("label")) for d in found] == [("exercise", "ex-y")]
    assert found[0].options["class"] == "minutes-7"
    found.clear()  # a caller's list is its own: the parse is cached, not the list
    assert len(myst.directives(text)) == 1
    with pytest.raises(TypeError, match="directives: text must be a str .*received list"):
        myst.directives(["```{exercise}", "```"])


def test_student_copy_stubs_answers_and_keeps_checker_calls():
    student = assign.student_notebook(demo_chapter(), source="demo.ipynb")
    nbformat.validate(student)
    code = [c.source for c in student.cells if c.cell_type == "code"]
    assert code[1] == ("# YOUR CODE HERE\nraise NotImplementedError\ncheck_double(double)")
    assert code[3].startswith("def scale(x, k):\n    # YOUR CODE HERE\n"
                              "    raise NotImplementedError\n")
    assert code[3].endswith("check_scale(scale)")
    assert code[2] == "total = 1 + 1\nprint(total)", "non-exercise cells are kept as they are"


def test_student_copy_drops_solution_prose_and_gates():
    student = assign.student_notebook(demo_chapter(), source="demo.ipynb")
    text = _text(student)
    for secret in SECRETS:
        assert secret not in text
    markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert "solution" not in markdown.replace("ex-demo", "")
    for label in ("ex-demo-1", "ex-demo-2", "ex-demo-3", "ex-demo-4"):
        assert f":label: {label}" in markdown, "every exercise statement stays"
    assert markdown.rstrip().endswith("The end."), "text after a solution stays"


def test_student_copy_keeps_ids_metadata_and_records_labels():
    source = demo_chapter()
    student = assign.student_notebook(source, source="demo.ipynb")
    source_ids = [c.id for c in source.cells]
    kept = [c.id for c in student.cells]
    assert kept == [i for i in source_ids if i in kept], "ids kept, order kept"
    assert len(set(kept)) == len(kept)
    assert student.cells[0].metadata["tags"] == ["hide-input"]
    assert student.metadata["kernelspec"]["name"] == "python3"
    assert student.metadata["dlcourse"] == {
        "edition": "student", "source": "demo.ipynb", "exercises": ["ex-demo-2", "ex-demo-3"]}
    assert sorted(chapter.exercise_cells(student).values()) == ["ex-demo-2", "ex-demo-3"]
    assert chapter.exercise_cells(student) != {}, "labels survive without the gates"
    assert sorted(chapter.exercise_cells(source).values()) == ["ex-demo-2", "ex-demo-3"]
    assert _text(source).count("SECRET-CODE-2") == 1, "the source is not modified"


def test_student_copy_clears_outputs():
    nb = demo_chapter()
    nb.cells[7].outputs = [nbformat.v4.new_output("stream", text="✓ double: 42\n")]
    nb.cells[7].execution_count = 3
    student = assign.student_notebook(nb)
    assert all(not c.outputs and c.execution_count is None
               for c in student.cells if c.cell_type == "code")


def test_for_book_tags_stubs_skip_execution():
    student = assign.student_notebook(demo_chapter(), for_book=True)
    tagged = [i for i, c in enumerate(student.cells) if "skip-execution" in c.metadata.get("tags", [])]
    assert sorted(tagged) == sorted(chapter.exercise_cells(student))


def test_solution_lines_separate_secret_from_public_text():
    solution, public = assign.solution_lines(demo_chapter())
    assert any("SECRET-CODE-2" in line for line in solution)
    assert any("SECRET-PROSE-1" in line for line in solution)
    assert "check_double(double)" in public and "check_double(double)" not in solution
    assert "print('SECRET-CODE-4')" in solution


def test_assign_writes_copies_under_the_book_layout(tmp_path):
    book = tmp_path / "book"
    (book / "part").mkdir(parents=True)
    nbformat.write(demo_chapter(), book / "part" / "demo.ipynb")
    written = assign.assign(None, tmp_path / "student", book)
    assert written == [tmp_path / "student" / "part" / "demo.ipynb"]
    nb = nbformat.read(written[0], as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["dlcourse"]["source"] == "part/demo.ipynb"


def test_cli_assign(tmp_path, capsys):
    from dlcourse.__main__ import main

    path = tmp_path / "demo.ipynb"
    nbformat.write(demo_chapter(), path)
    assert main(["assign", str(path), "-o", str(tmp_path / "out")]) == 0
    assert "2 code exercise(s)" in capsys.readouterr().out
    assert "SECRET" not in (tmp_path / "out" / "demo.ipynb").read_text()


def test_assign_refuses_a_non_notebook(tmp_path):
    with pytest.raises(ValueError, match=r"assign: notebooks must be \.ipynb files"):
        assign.assign([tmp_path / "x.md"], tmp_path / "out")


def test_broken_markers_name_the_cell():
    nb = demo_chapter()
    nb.cells[7].source = nb.cells[7].source.replace("### END SOLUTION\n", "")
    with pytest.raises(ValueError, match=r"student_notebook: demo.ipynb cell 7: .*never closed"):
        assign.student_notebook(nb, source="demo.ipynb")


def test_demo_student_copy_fails_only_at_the_stubs(tmp_path):
    executed = execute(assign.student_notebook(demo_chapter()), tmp_path)
    errors = {i: _error(c)["ename"] for i, c in enumerate(executed.cells) if _error(c)}
    assert errors.keys() == chapter.exercise_cells(executed).keys()
    assert set(errors.values()) <= studentcopy.STUB_ERRORS
    solved = execute(demo_chapter(), tmp_path)
    assert not any(_error(c) for c in solved.cells), "the instructor's copy runs clean"


# ------------------------------------------------------------------------- lint


def test_lint_accepts_the_demo():
    assert lint.lint_notebook(demo_chapter()) == []


@pytest.mark.parametrize("edit, problem", [
    (lambda nb: nb.cells.pop(8), "never closed"),
    (lambda nb: setattr(nb.cells[7], "source", "def double(x):\n    return 2 * x\n"
                        "check_double(double)"), "whole answer"),
    (lambda nb: setattr(nb.cells[7], "source", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
     "cell 7 must end with a checker call"),
    (lambda nb: setattr(nb.cells[5], "source", "```{solution-start} ex-nope\n```"),
     "not an exercise label"),
    (lambda nb: setattr(nb.cells[9], "source", "# BEGIN SOLUTION\nx = 1\n# END SOLUTION"),
     "outside the code cells"),
    (lambda nb: setattr(nb.cells[7], "source", nb.cells[7].source.replace("###", "#")),
     "exactly"),
])
def test_lint_finds_problems(edit, problem):
    nb = demo_chapter()
    edit(nb)
    problems = lint.lint_notebook(nb)
    assert any(problem in p for p in problems), problems


def test_lint_checks_checker_names():
    problems = lint.lint_notebook(demo_chapter(), checkers={"check_double"})
    assert problems == ["ex-demo-3: calls check_scale, which no dlcourse.exercises module defines"]


# ------------------------------------------------------------ the list of exercises


def test_list_exercises_reads_kind_checker_and_minutes(tmp_path):
    (tmp_path / "book" / "part").mkdir(parents=True)
    nbformat.write(demo_chapter(), tmp_path / "book" / "part" / "demo.ipynb")
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n"
        "    chapters:\n      - file: book/part/demo\n")
    found = catalogue.list_exercises(tmp_path)
    assert [(e.label, e.chapter, e.kind, e.checkers, e.minutes) for e in found] == [
        ("ex-demo-1", "book/part/demo", "pen-and-paper", (), 5),
        ("ex-demo-2", "book/part/demo", "code", ("check_double",), 15),
        ("ex-demo-3", "book/part/demo", "code", ("check_scale",), None),
        ("ex-demo-4", "book/part/demo", "pen-and-paper", (), None),
    ]
    assert [e.estimated_minutes for e in found] == [5, 15, 20, 10]
    # the student copy lists the same exercises (the instructor page is built from it
    # in the student edition)
    student = assign.student_notebook(demo_chapter())
    assert chapter.exercises_of(student, "book/part/demo") == found
    table = catalogue.exercise_table(found)
    assert "| {ref}`ex-demo-2 <ex-demo-2>` | {doc}`demo </book/part/demo>` | code | yes | 15 |" in table
    assert "4 exercises, 2 auto-checked, about 50 minutes" in table
    syllabus = catalogue.syllabus_table(tmp_path)
    assert "| 1 | 1 | Part | {doc}`/book/part/demo` | 4 (2 code, 2 pen-and-paper) | 50 min |" \
        in syllabus


def test_update_page_rewrites_only_generated_regions(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n")
    page = tmp_path / "page.md"
    page.write_text("Before.\n\n% BEGIN GENERATED: exercises (run the command)\nold\n"
                    "% END GENERATED: exercises\n\nAfter.\n")
    assert catalogue.update_page(page, tmp_path, write=False) is True
    assert "old" in page.read_text(), "write=False only compares"
    assert catalogue.update_page(page, tmp_path) is True
    assert page.read_text() == (
        "Before.\n\n% BEGIN GENERATED: exercises (run the command)\n\n"
        "No chapter has exercises yet.\n\n% END GENERATED: exercises\n\nAfter.\n")
    assert catalogue.update_page(page, tmp_path) is False


def test_instructor_guide_tables_are_current():
    page = ROOT / "book" / "instructors.md"
    assert not catalogue.update_page(page, ROOT, write=False), (
        "book/instructors.md lists exercises or chapters that changed; run "
        "`.venv/bin/python -m dlcourse exercises --update book/instructors.md`")


# ------------------------------------------------------- every notebook of the book


def _checker_names() -> set[str]:
    return {name.split(".")[-1] for name, _ in _checkers()}


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=_rel)
def test_book_exercises_are_well_formed(path):
    problems = lint.lint_notebook(nbformat.read(path, as_version=4),
                                    checkers=_checker_names())
    assert not problems, f"{_rel(path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=_rel)
def test_book_student_copy_is_valid_and_holds_no_solution(path):
    source = nbformat.read(path, as_version=4)
    student = assign.student_notebook(source, source=_rel(path))
    nbformat.validate(student)
    solution, public = assign.solution_lines(source)
    secret = solution - public - set(markers.CODE_STUB)
    lines = {line.strip() for line in _text(student).replace("\\n", "\n").split("\n")}
    shown = {line.strip() for c in student.cells for line in c.source.split("\n")}
    leaked = sorted(secret & (shown | lines))
    assert not leaked, f"{_rel(path)}: the student copy shows solution lines: {leaked[:10]}"


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=_rel)
def test_book_student_copy_fails_only_at_the_stubs(path, request):
    if _rel(path) in request.config.stash.get(nbplugin.STUDENT_CHECKED, set()):
        pytest.skip(f"checked on nbval's run of the chapter ({_rel(path)}::student)")
    source = nbformat.read(path, as_version=4)
    student = assign.student_notebook(source, source=_rel(path))
    executed = execute(student, path.parent, timeout=CELL_TIMEOUT_S)
    errors = {i: _error(c) for i, c in enumerate(executed.cells) if c.cell_type == "code"}
    outputs = "\n".join(str(o) for c in executed.cells if c.cell_type == "code"
                        for o in c.outputs)
    failures = studentcopy.problems(source, executed, errors, outputs)
    assert not failures, (
        f"{_rel(path)}, student copy (if the chapter itself fails at the same cell, "
        f"nbval reports it too: fix the chapter):\n" + "\n".join(failures))


# ------------------------------------------------------------------- every checker


def _checkers() -> list[tuple[str, object]]:
    import dlcourse.exercises as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name == "checking":
            continue
        module = importlib.import_module(f"dlcourse.exercises.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("check_") and callable(obj) \
                    and getattr(obj, "__module__", None) == module.__name__:
                found.append((f"{info.name}.{name}", obj))
    return sorted(found, key=lambda item: item[0])


def _stub_function(*args, **kwargs):
    raise NotImplementedError


JUNK = {
    "None": None,
    "Ellipsis": ...,
    "object": object(),
    "wrong-shape": np.full((3, 1, 7), 0.5),
    "stub-function": _stub_function,
}


@pytest.mark.parametrize("junk", JUNK, ids=str)
@pytest.mark.parametrize("name, check", _checkers(), ids=[n for n, _ in _checkers()])
def test_checker_refuses_junk_cleanly(name, check, junk, capsys):
    value = JUNK[junk]
    params = inspect.signature(check).parameters.values()
    args = [value for p in params if p.default is p.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    kwargs = {p.name: value for p in params if p.default is p.empty and p.kind is p.KEYWORD_ONLY}
    with pytest.raises(ExerciseFailed) as info:
        check(*args, **kwargs)
    message = str(info.value)
    assert message.strip() and "Hint:" in message, f"{name}: a failure must say why and hint"
    assert "Traceback" not in message
    assert capsys.readouterr().out == "", f"{name} printed something on a wrong answer"
    assert getattr(check, "is_checker", False), f"{name} is not built with @checker"


class _Misbehaves(BaseException):
    """Something a student's code may raise that is not an Exception."""


def _misbehaving(kind: str, called: list):
    """A student function that, once called, does one of the things a checker must survive."""
    import sys

    def student(*args, **kwargs):
        called.append(kind)
        if kind == "exits":
            sys.exit(1)
        if kind == "recurses":
            return student(*args, **kwargs)
        if kind == "loops":
            while True:
                pass
        if kind == "floods":
            for i in range(20_000):
                print(f"line {i}")
            raise ValueError("after the flood")
        if kind == "base":
            raise _Misbehaves("odd")
        raise KeyboardInterrupt

    return student


#: What the failure says when the checker called the student's function.
MISBEHAVIOURS = {"exits": "SystemExit", "recurses": "RecursionError",
                 "loops": "took longer than 0.3 s", "floods": "", "base": "_Misbehaves"}


@pytest.mark.parametrize("kind", [*MISBEHAVIOURS, "interrupted"])
@pytest.mark.parametrize("name, check", _checkers(), ids=[n for n, _ in _checkers()])
def test_checker_survives_any_student_code(name, check, kind, capsys, monkeypatch):
    """sys.exit, endless recursion or loops, floods of output and odd BaseExceptions in
    student code become a clean failure; the stop button (KeyboardInterrupt) still stops."""
    from dlcourse.exercises import checking

    if kind == "loops":
        monkeypatch.setattr(checking, "TIME_LIMIT_S", 0.3)
    called: list = []
    params = inspect.signature(check).parameters.values()
    args = [_misbehaving(kind, called) for p in params if p.default is p.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if kind == "interrupted":
        try:
            check(*args)
        except KeyboardInterrupt:
            assert called, f"{name}: KeyboardInterrupt although no student code ran"
        except ExerciseFailed:
            assert not called, f"{name} turned the learner's KeyboardInterrupt into a failure"
        return
    with pytest.raises(ExerciseFailed) as info:
        check(*args)
    message = str(info.value)
    assert "\nHint: " in message and "Traceback" not in message
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= checking.OUTPUT_LINES + 1, f"{name}: output not capped"
    if called:
        assert MISBEHAVIOURS[kind] in message, f"{name}: {message}"


# ------------------------------------------------------------- hints that teach

_TOKEN = re.compile(r"\d+(?:\.\d*)?(?:e-?\d+)?|\w+|[^\w\s]")
_NUMBER = re.compile(r"^\d+(?:\.\d*)?(?:e-?\d+)?$")
#: Code in prose: an equation or assignment, a call with arguments, a power, a matrix product.
_CODE_IN_PROSE = re.compile(r"[^=!<>]=[^=]|\w\([^)]+\)|\*\*|\s@\s|\[\[")


def _tokens(text: str) -> list[str]:
    """Tokens with numbers normalised (1, 1.0 and 1. are one token)."""
    return [repr(float(t)) if _NUMBER.match(t) else t for t in _TOKEN.findall(text)]


_OPERATORS = set("[]=+-*/@<>")


def _ngrams(tokens: list[str], n: int = 4) -> set[tuple[str, ...]]:
    """Runs of ``n`` tokens that hold an operator or a bracket: code, not prose."""
    runs = (tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return {run for run in runs if _OPERATORS & set(run)}


@functools.cache
def _book_solutions() -> dict[str, tuple[set, set, set]]:
    """For every checker a chapter calls: (code n-grams, numbers of its solution code,
    numbers said anywhere public in the chapter). Read once per test run (half a second
    of parsing 30 chapters, which each of the 60 checkers' tests used to repeat); callers
    only read the sets."""
    out: dict[str, tuple[set, set, set]] = {}
    for path in BOOK_NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        secret, public = assign.solution_lines(nb)
        code = [line.split("#")[0] for line in secret - public]
        grams = set().union(*(_ngrams(_tokens(line)) for line in code))
        numbers = {t for line in code for t in _tokens(line) if t[0].isdigit()}
        said = {t for line in public for t in _tokens(line) if t[0].isdigit()}
        for name in set(re.findall(r"\b(check_\w+)\(", "\n".join(c.source for c in nb.cells))):
            g, n, s = out.setdefault(name, (set(), set(), set()))
            g |= grams
            n |= numbers
            s |= said
    return out


@pytest.mark.parametrize("name, check", _checkers(), ids=[n for n, _ in _checkers()])
def test_hints_never_state_the_answer(name, check):
    """Every hint of every checker: prose, not code or an equation; no run of four code
    tokens of its chapter's solution; no number of the solution that the chapter does not
    already state in public. Checkers with code answers give graded hints (two or more)."""
    hints = getattr(check, "hints", ())
    assert hints, f"{name} has no hints"
    grams, numbers, said = _book_solutions().get(name.split(".")[-1], (set(), set(), set()))
    for k, hint in enumerate(hints, 1):
        code = _CODE_IN_PROSE.search(hint)
        assert not code, f"{name}, hint {k} reads like code or a formula: {code.group()!r}"
        shared = _ngrams(_tokens(hint)) & grams
        assert not shared, f"{name}, hint {k} repeats its solution: {sorted(shared)[:3]}"
        values = {t for t in _tokens(hint) if t[0].isdigit()} & numbers - said
        assert not values, f"{name}, hint {k} gives solution values {sorted(values)}"
    assert len(hints) >= 2, f"{name}: give graded hints, hints=[nudge, ..., stronger]"


def _raw_exercise_labels(path: Path) -> list[str]:
    """Labels of exercise directives, read from the notebook's text with no parser."""
    labels = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        opened = False
        for line in cell.source.split("\n"):
            if re.match(r"^\s*(`{3,}|:{3,})\{exercise(-start)?\}", line):
                opened = True
            elif opened and re.match(r"^\s*:label:", line):
                labels.append(line.split(":label:", 1)[1].strip())
                opened = False
    return labels


def test_catalogue_lists_every_exercise_label_of_the_book():
    """The exercise table has one row per labelled exercise of every chapter in the toc."""
    listed = [ex.label for ex in catalogue.list_exercises(ROOT)]
    raw = [label for _, _, path in catalogue.toc_pages(ROOT) if path.suffix == ".ipynb"
           for label in _raw_exercise_labels(path)]
    assert sorted(listed) == sorted(raw)
    assert len(listed) == len(set(listed))


def test_assign_puts_an_answer_cell_under_each_pen_and_paper_exercise():
    """ex-demo-1 and ex-demo-4 are pen-and-paper: each gets one empty answer cell below it."""
    student = assign.student_notebook(demo_chapter(), source="demo.ipynb", answer_cells=True)
    answers = chapter.answer_cells(student)
    assert sorted(answers.values()) == ["ex-demo-1", "ex-demo-4"]
    for index, label in answers.items():
        assert student.cells[index].source == "YOUR ANSWER HERE"
        assert f":label: {label}" in student.cells[index - 1].source
    assert student.metadata["dlcourse"]["pen_and_paper"] == ["ex-demo-1", "ex-demo-4"]
    assert not any(secret in _text(student) for secret in SECRETS)
    assert chapter.answer_cells(assign.student_notebook(demo_chapter(), for_book=True)) == {}
