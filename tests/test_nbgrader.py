"""nbgrader's own command line on three chapters exported by ``assign --nbgrader``.

End to end, as an instructor runs it: ``python -m dlcourse assign --nbgrader`` writes the
course's source notebooks; ``nbgrader generate_assignment`` releases them (no solution
or hidden-test line left in); ``nbgrader autograde`` gives a solved copy every automatic
point, an unsolved copy none, a copy whose test cells were edited the full marks of the
restored tests (with nbgrader's checksum warning), a copy that only prints ``✓`` none;
``generate_feedback`` writes one page per submission and ``export`` the CSV.

Chapters: the three fastest with code exercises (background: NumPy only; activations
and hidden_layer: TensorFlow), so the test stays within a couple of minutes on 2 cores.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dlcourse.instructor import assign, chapter, nbgrader

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["book/background/background.ipynb", "book/core/activations.ipynb",
            "book/code/hidden_layer.ipynb"]
ASSIGNMENT = "week1"
NBGRADER = shutil.which("nbgrader", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(NBGRADER is None, reason="nbgrader is not installed "
                                "(requirements.txt installs it with the instructor extra)")


def _run(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([NBGRADER, *args], cwd=course, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def _grade_ids(nb, **flags):
    return [c for c in nb.cells if c.metadata.get("nbgrader")
            and all(c.metadata["nbgrader"].get(k) == v for k, v in flags.items())]


def _solved(release, source):
    """The release with every code answer filled in from the source (markers dropped)."""
    nb = copy.deepcopy(release)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in _grade_ids(source, solution=True)}
    for cell in _grade_ids(nb, solution=True):
        if cell.cell_type == "code":
            cell.source = "\n".join(line for line in answers[cell.metadata["nbgrader"]["grade_id"]]
                                    .split("\n") if "SOLUTION" not in line)
    return nb


def _submit(course: Path, student: str, name: str, nb) -> None:
    path = course / "submitted" / student / ASSIGNMENT / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """One assignment (``week1``) of the three chapters, released and graded.

    alice solves all three chapters; bob hands back background's release untouched,
    carol empties background's test cells after solving it, dave only prints ``✓``.
    """
    course = tmp_path_factory.mktemp("course")
    from dlcourse.instructor.cli import main

    assert main(["assign", "--nbgrader", str(course), "--assignment", ASSIGNMENT,
                 *map(str, (ROOT / c for c in CHAPTERS))]) == 0
    _run(course, "generate_assignment", ASSIGNMENT)
    for path in CHAPTERS:
        name = Path(path).stem
        source = nbformat.read(course / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
        release = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
        _submit(course, "alice", name, _solved(release, source))
        if name == "background":
            _submit(course, "bob", name, release)
            edited = _solved(release, source)
            for cell in _grade_ids(edited, grade=True, solution=False):
                cell.source = "pass  # the student emptied the test"
            _submit(course, "carol", name, edited)
            forged = copy.deepcopy(release)
            for cell in _grade_ids(forged, solution=True):
                if cell.cell_type == "code":
                    cell.source = 'print("\\u2713 answer: Correct!")'
            _submit(course, "dave", name, forged)
    log = _run(course, "autograde", ASSIGNMENT, "--create").stderr
    _run(course, "generate_feedback", ASSIGNMENT)
    _run(course, "export")
    return course, log


def test_the_source_notebooks_pass_nbgraders_metadata_validation(tmp_path):
    from nbgrader.nbgraderformat import MetadataValidator

    for path in CHAPTERS:
        nb = nbgrader.nbgrader_notebook(nbformat.read(ROOT / path, as_version=4))
        MetadataValidator().validate_nb(nb)
        kinds = {(c.cell_type, c.metadata["nbgrader"]["grade"], c.metadata["nbgrader"]["solution"],
                  c.metadata["nbgrader"]["locked"]) for c in _grade_ids(nb)}
        assert ("code", False, True, False) in kinds  # autograded answer
        assert ("code", True, False, True) in kinds  # autograder tests
        assert ("markdown", True, True, False) in kinds  # manually graded answer
        tests = _grade_ids(nb, grade=True, solution=False)
        assert all(nbgrader.BEGIN_HIDDEN in c.source for c in tests)


def test_the_release_holds_no_solution_and_no_hidden_test(course):
    course, _ = course
    for path in CHAPTERS:
        name = Path(path).stem
        secret, public = assign.solution_lines(nbformat.read(ROOT / path, as_version=4))
        text = (course / "release" / ASSIGNMENT / f"{name}.ipynb").read_text(encoding="utf-8")
        release = nbformat.reads(text, as_version=4)
        lines = {l.strip() for c in release.cells for l in c.source.split("\n") if l.strip()}
        assert not (lines & (secret - public)), f"{name}: solution lines in the release"
        assert "BEGIN HIDDEN TESTS" not in text and "hidden test:" not in text


def _scores(course: Path) -> dict[tuple[str, str], tuple[float, float]]:
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        return {(r["assignment"], r["student_id"]): (float(r["raw_score"]), float(r["max_score"]))
                for r in csv.DictReader(f)}


def _points(name: str) -> tuple[int, int]:
    """(automatic points, manual points) of a chapter, from the one place points come from."""
    path = next(ROOT / c for c in CHAPTERS if Path(c).stem == name)
    exercises = chapter.exercises_of(nbformat.read(path, as_version=4), name)
    return (sum(e.points for e in exercises if e.kind == "code"),
            sum(e.points for e in exercises if e.kind != "code"))


def test_autograde_gives_solved_copies_every_automatic_point_and_unsolved_none(course):
    course, _ = course
    scores = _scores(course)
    points = [_points(Path(c).stem) for c in CHAPTERS]
    total = sum(auto + manual for auto, manual in points)
    assert scores[(ASSIGNMENT, "alice")] == (sum(auto for auto, _ in points), total)
    assert scores[(ASSIGNMENT, "bob")] == (0, total)


def test_autograde_restores_edited_test_cells_and_ignores_printed_checkmarks(course):
    course, log = course
    scores = _scores(course)
    auto, _ = _points("background")
    assert scores[(ASSIGNMENT, "carol")][0] == auto  # the restored tests ran on her answers
    assert "checksum" in log and "has changed" in log
    assert scores[(ASSIGNMENT, "dave")][0] == 0


def test_feedback_is_written_for_every_submission(course):
    course, _ = course
    for student in ("alice", "bob", "carol", "dave"):
        page = course / "feedback" / student / ASSIGNMENT / "background.html"
        assert page.is_file() and page.stat().st_size > 1000
