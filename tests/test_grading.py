"""Adversarial submissions to the built-in gradebook (``gradebook --book``).

Each submission for the background chapter (NumPy only, the fastest) tries one way to
earn what it did not solve, or to reach outside its own copy. Each is asserted to earn
nothing it did not solve, and grading is asserted to leave every submission and the
repository untouched. The sandboxed tests need bubblewrap (``apt-get install -y
bubblewrap``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import nbformat
import pytest

from dlcourse.instructor import assign, chapter, grading
from dlcourse.instructor.markers import solution_regions

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "background" / "background.ipynb"
CODE_LABELS = ["ex-background-2", "ex-background-3", "ex-background-4"]
needs_sandbox = pytest.mark.skipif(not grading.sandbox_available(),
                                   reason="bubblewrap is not installed")


def _chapter():
    return nbformat.read(CHAPTER, as_version=4)


def _points() -> dict[str, int]:
    return {e.label: e.points for e in chapter.exercises_of(_chapter(), "background")}


def _answer_cells(nb) -> dict[str, int]:
    """label -> index of the (single) answer cell of each code exercise of a student copy."""
    return {c.metadata["dlcourse"]["exercise"]: i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and c.get("metadata", {}).get("dlcourse", {}).get("exercise")}


def _solutions() -> dict[str, str]:
    nb = _chapter()
    out = {}
    for index, label in chapter.exercise_cells(nb).items():
        src = nb.cells[index].source
        lines = src.split("\n")
        for r in solution_regions(src):
            out[label] = "\n".join(lines[r.begin + 1 : r.end])
    return out


def _copy(answers: dict[str, str] | None = None, written: str | None = None):
    """A student copy with ``answers`` (label -> code replacing the stub)."""
    nb = assign.student_notebook(_chapter(), source="background/background.ipynb",
                                 answer_cells=True)
    for label, index in _answer_cells(nb).items():
        if answers and label in answers:
            nb.cells[index].source = nb.cells[index].source.replace(
                "# YOUR CODE HERE\nraise NotImplementedError", answers[label])
    if written is not None:
        for cell in nb.cells:
            if cell.get("metadata", {}).get("dlcourse", {}).get("kind") == "pen-and-paper":
                cell.source = written
    return nb


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


SOLVED = _solutions()
OTHER = "honest"  # the submission others try to read or overwrite
#: What a submission must not see: its chapter and others (solutions), the repository.
FORBIDDEN = [str(CHAPTER), str(ROOT / "book" / "core" / "activations.ipynb"),
             str(ROOT / "_toc.yml"), str(ROOT / "book")]


def _submissions(folder: Path) -> None:
    def put(student, nb_or_text):
        path = folder / student / "background.ipynb"
        path.parent.mkdir(parents=True)
        if isinstance(nb_or_text, str):
            path.write_text(nb_or_text, encoding="utf-8")
        else:
            nbformat.write(nb_or_text, path)

    other = folder / OTHER / "background.ipynb"
    put(OTHER, _copy(SOLVED, written="Four inequalities; adding two contradicts a third."))
    put("unsolved", _copy())
    put("printer", _copy({l: 'print("\\u2713 answer: Correct!")' for l in CODE_LABELS}))
    put("replacer", _copy({"ex-background-2": "ex.check_perceptron_update = lambda *a: None\n"
                                              "perceptron_update = None",
                           "ex-background-3": "ex.check_xor_network = lambda *a: None\n"
                                              "weights = None"}))
    put("patcher", _copy({"ex-background-2":
                          "import dlcourse.exercises.background as m\n"
                          "import dlcourse.exercises.checking as c\n"
                          "m.check_perceptron_update = lambda *a: None\n"
                          "m.check_xor_network = lambda *a: None\n"
                          "c.expect = lambda *a, **k: None\n"
                          "perceptron_update = lambda *a: (0, 0)",
                          "ex-background-3": "weights = None"}))
    calls_deleted = _copy(SOLVED)
    for index in _answer_cells(calls_deleted).values():
        calls_deleted.cells[index].source = "\n".join(
            l for l in calls_deleted.cells[index].source.split("\n") if "check_" not in l)
    put("calls-deleted", calls_deleted)
    stripped = _copy(SOLVED)
    for k, cell in enumerate(stripped.cells):
        cell.metadata = {}
        cell["id"] = f"renamed-{k}"
    stripped.metadata = {}
    put("metadata-stripped", stripped)
    put("reader", _copy({"ex-background-3":
                         "import os\n"
                         f"seen = [p for p in {FORBIDDEN + [str(other)]!r}\n"
                         "        if (os.listdir(p) if os.path.isdir(p) else os.path.exists(p))]\n"
                         "seen += [k for k in os.environ if k == 'DLCOURSE_SECRET']\n"
                         + SOLVED["ex-background-3"] + "\nweights = None if seen else weights"}))
    put("writer", _copy({"ex-background-2":
                         "for target in (%r, %r):\n"
                         "    try:\n"
                         "        open(target, 'w').write('overwritten')\n"
                         "    except OSError:\n"
                         "        pass\n"
                         "perceptron_update = None" % (str(other), str(CHAPTER))}))
    put("exiter", _copy({"ex-background-2": "import os\nos._exit(0)"}))
    put("flooder", _copy({"ex-background-2": "print('x' * 5_000_000)\nperceptron_update = None"}))
    put("corrupted", '{"cells": [')


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    pytest.importorskip("nbclient")
    folder = tmp_path_factory.mktemp("submissions")
    _submissions(folder)
    before, repo_before = _digest(folder), _digest(ROOT / "book")
    mp = pytest.MonkeyPatch()
    mp.setenv("DLCOURSE_SECRET", "the grader's environment")
    try:
        grades = grading.grade_course(folder, ROOT / "book", jobs=2, timeout=120)
    finally:
        mp.undo()
    totals, detail = grading.write_reports(grades, folder.parent / "gradebook.csv")
    assert _digest(folder) == before, "grading modified a submission"
    assert _digest(ROOT / "book") == repo_before, "grading modified the chapters"
    return {g.student: g for g in grades}, totals, detail


def _code_points(grade) -> dict[str, float]:
    return {r.label: r.points for r in grade.results if r.kind == "code"}


def test_an_honest_submission_earns_every_automatic_point(graded):
    grades, _, _ = graded
    points = _points()
    assert _code_points(grades[OTHER]) == {l: points[l] for l in CODE_LABELS}


@pytest.mark.parametrize("student", ["unsolved", "printer", "replacer", "patcher", "exiter",
                                     "flooder", "corrupted", "writer"])
def test_a_submission_earns_nothing_it_did_not_solve(graded, student):
    grades, _, _ = graded
    assert sum(_code_points(grades[student]).values()) == 0, grades[student]


def test_checks_come_from_the_grader_not_the_submission(graded):
    """Deleting the checker calls changes nothing for a solved copy; nor does losing every
    cell's id and metadata (its answers are found by the code around them)."""
    grades, _, _ = graded
    assert _code_points(grades["calls-deleted"]) == _code_points(grades[OTHER])
    assert _code_points(grades["metadata-stripped"]) == _code_points(grades[OTHER])


@needs_sandbox
def test_the_sandbox_hides_the_course_other_submissions_and_the_environment(graded):
    grades, _, _ = graded
    reader = {r.label: r for r in grades["reader"].results}
    assert reader["ex-background-3"].status == "pass", reader["ex-background-3"].detail
    assert grades["reader"].isolation == "bubblewrap sandbox"


def test_suspicious_answers_are_flagged_for_review(graded):
    grades, _, _ = graded
    assert grades["exiter"].review and not grades[OTHER].review


def test_pen_and_paper_answers_are_listed_to_grade_by_hand(graded):
    grades, _, detail = graded
    written = [r for r in grades[OTHER].results if r.kind == "pen-and-paper"]
    assert written and all(r.status == "to grade by hand" and r.points == 0 for r in written)
    assert all("Four inequalities" in r.detail for r in written)
    with open(detail, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert any(r["status"] == "to grade by hand" and r["student"] == OTHER for r in rows)


def test_totals_have_one_row_per_student(graded):
    grades, totals, _ = graded
    with open(totals, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["student"] for r in rows) == sorted(grades)
    honest = next(r for r in rows if r["student"] == OTHER)
    assert float(honest["points"]) == sum(_points()[l] for l in CODE_LABELS)
    assert float(honest["max_points"]) == sum(_points().values())


def test_a_looping_answer_is_stopped_and_the_rest_graded(tmp_path):
    """The loop burns a core until the cell time limit: 5 s, against under half a second
    for any cell of this chapter (NumPy only)."""
    nb = _copy({**SOLVED, "ex-background-2": "while True:\n    pass"})
    (tmp_path / "s").mkdir()
    nbformat.write(nb, tmp_path / "s" / "background.ipynb")
    grade = grading.grade_submission(tmp_path / "s" / "background.ipynb", CHAPTER,
                                     student="s", timeout=5)
    points = _code_points(grade)
    assert points["ex-background-2"] == 0
    assert points["ex-background-3"] == _points()["ex-background-3"]


@pytest.mark.parametrize("path", assign.book_notebooks(ROOT / "book"), ids=lambda p: p.stem)
def test_answers_are_found_in_a_copy_that_lost_its_ids_and_metadata(path):
    """Every chapter: a solved student copy whose cell ids and metadata were rewritten
    gives the grader the same answers as the copy as handed out."""
    book_nb = nbformat.read(path, as_version=4)
    nb = assign.student_notebook(book_nb, source=path.name, answer_cells=True)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = cell.source.replace("# YOUR CODE HERE", f"answer_{k} = {k}")
    intact, _ = grading.answers_of(nb, book_nb)
    for k, cell in enumerate(nb.cells):
        cell.metadata = {}
        cell["id"] = f"renamed-{k}"
    stripped, _ = grading.answers_of(nb, book_nb)
    assert stripped == intact and (intact or "BEGIN SOLUTION" not in str(book_nb))


def test_written_answers_are_found_in_a_copy_that_lost_its_metadata():
    nb = _copy(SOLVED, written="Four inequalities; adding two contradicts a third.")
    _, intact = grading.answers_of(nb, _chapter())
    for cell in nb.cells:
        cell.metadata = {}
    _, stripped = grading.answers_of(nb, _chapter())
    assert stripped == intact and len(intact) == 2
    _, unanswered = grading.answers_of(_copy(), _chapter())
    assert set(unanswered.values()) == {""}


def test_the_notebook_time_limit_leaves_the_rest_not_run(tmp_path):
    nb = _copy({**SOLVED, "ex-background-2": "import time\ntime.sleep(30)\n"
                                             + SOLVED["ex-background-2"]})
    (tmp_path / "s").mkdir()
    nbformat.write(nb, tmp_path / "s" / "background.ipynb")
    grade = grading.grade_submission(tmp_path / "s" / "background.ipynb", CHAPTER,
                                     student="s", timeout=60, notebook_timeout=8)
    status = {r.label: r.status for r in grade.results if r.kind == "code"}
    assert status["ex-background-4"] == grading.NOT_RUN, grade
    assert grade.errors and grade.errors[-1].startswith("stopped: TimeLimit:"), grade.errors
    assert grade.seconds < 60


def test_the_command_line_grades_against_the_book_by_default(tmp_path, capsys, monkeypatch):
    """``python -m dlcourse gradebook FOLDER`` (no --book: the book folder of the current
    directory) writes both CSV files and prints a line per submission."""
    from dlcourse.__main__ import main

    (tmp_path / "in" / "ada").mkdir(parents=True)
    nbformat.write(_copy(SOLVED), tmp_path / "in" / "ada" / "background.ipynb")
    monkeypatch.chdir(ROOT)
    out_csv = tmp_path / "grades.csv"
    assert main(["gradebook", str(tmp_path / "in"), "-o", str(out_csv), "--no-sandbox"]) == 0
    printed = capsys.readouterr()
    assert "ada  background:" in printed.out and "WITHOUT isolation" in printed.err
    with open(out_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["student"] for r in rows] == ["ada"]
    assert float(rows[0]["points"]) == sum(_points()[l] for l in CODE_LABELS)


def test_an_answer_that_allocates_too_much_fails_and_the_rest_is_graded(tmp_path):
    """The kernel's address space is capped (memory_gb): a 6 GiB array is a MemoryError in
    its cell, not a machine out of memory."""
    hog = "import numpy as np\nhog = np.ones(6 * 2**27)\n" + SOLVED["ex-background-2"]
    nb = _copy({**SOLVED, "ex-background-2": hog})
    (tmp_path / "s").mkdir()
    nbformat.write(nb, tmp_path / "s" / "background.ipynb")
    grade = grading.grade_submission(tmp_path / "s" / "background.ipynb", CHAPTER,
                                     student="s", timeout=60, memory_gb=3)
    points = _code_points(grade)
    assert points["ex-background-2"] == 0
    assert points["ex-background-3"] == _points()["ex-background-3"], grade
    detail = {r.label: r.detail for r in grade.results}
    assert "perceptron_update' is not defined" in detail["ex-background-2"], detail  # stopped
