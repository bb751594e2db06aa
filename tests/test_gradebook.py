"""The gradebook: a folder of submitted notebooks in, who solved what out.

The submissions are made from the synthetic demo chapter of ``test_assign.py`` (two
code exercises, ex-demo-2 and ex-demo-3): the instructor's solved notebook, an
untouched student copy, a student copy that raises in the middle, and a file that is
not a notebook at all. Each runs in a real kernel (about 2 s each).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_assign import demo_chapter  # noqa: E402

from dlcourse.instructor import assign, gradebook  # noqa: E402

ANSWER_2 = "def double(x):\n    return 2 * np.asarray(x)"
STUB = "# YOUR CODE HERE\nraise NotImplementedError"
NOT_CHECKED = ("ExerciseFailed: Not yet: your code still raises NotImplementedError: "
               "replace the `# YOUR CODE HERE` stub with your answer first.")


def _student():
    return assign.student_notebook(demo_chapter(), source="part/demo.ipynb")


def _crashing():
    """A student who answered ex-demo-2, then broke a cell of the chapter."""
    nb = _student()
    nb.cells[4].source = nb.cells[4].source.replace(STUB, ANSWER_2)
    assert nb.cells[5].source.startswith("total")
    nb.cells[5].source = "total = 1 / 0"
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    nbformat.write(demo_chapter(), folder / "solved.ipynb")
    nbformat.write(_student(), folder / "untouched.ipynb")
    (folder / "bob").mkdir()
    nbformat.write(_crashing(), folder / "bob" / "crashing.ipynb")
    (folder / "broken.ipynb").write_text("this is not a notebook")
    grades = gradebook.grade_folder(folder, timeout=60, jobs=2)
    out = gradebook.write_csv(grades, folder.parent / "grades.csv")
    with open(out, newline="", encoding="utf-8") as f:
        return grades, list(csv.reader(f))


def test_csv_has_one_row_per_notebook_and_one_column_per_exercise(graded):
    _, rows = graded
    assert rows[0] == ["notebook", "ex-demo-2", "ex-demo-3", "solved", "errors"]
    assert [r[0] for r in rows[1:]] == [
        "bob/crashing.ipynb", "broken.ipynb", "solved.ipynb", "untouched.ipynb"]


def test_solved_notebook_passes_everything(graded):
    _, rows = graded
    assert rows[3] == ["solved.ipynb", "pass", "pass", "2/2", ""]


def test_untouched_student_copy_fails_at_the_stubs(graded):
    _, rows = graded
    assert rows[4] == ["untouched.ipynb", "fail", "fail", "0/2",
                       f"ex-demo-2: NotImplementedError | ex-demo-3: {NOT_CHECKED}"]


def test_notebook_raising_in_the_middle_is_graded_to_the_end(graded):
    _, rows = graded
    assert rows[1] == ["bob/crashing.ipynb", "pass", "fail", "1/2",
                       f"cell 5: ZeroDivisionError: division by zero | ex-demo-3: {NOT_CHECKED}"]


def test_unreadable_notebook_is_a_row_not_a_crash(graded):
    _, rows = graded
    assert rows[2][:4] == ["broken.ipynb", "", "", "0/0"]
    assert rows[2][4].startswith("notebook: NotJSONError: ")


def test_summary_table(graded):
    grades, _ = graded
    table = gradebook.summary_table(grades).splitlines()
    assert table[0].split() == ["notebook", "ex-demo-2", "ex-demo-3", "solved"]
    assert table[4].split() == ["solved.ipynb", "pass", "pass", "2/2"]
    assert table[-1].split() == ["solved", "by", "2/3", "1/3"]


def test_time_limits_and_deleted_cells(tmp_path):
    nb = _student()
    nb.cells[4].source = "import time\ntime.sleep(60)\n" + nb.cells[4].source
    del nb.cells[7]  # the student deleted ex-demo-3's cell
    nbformat.write(nb, tmp_path / "slow.ipynb")
    grade = gradebook.grade_notebook(tmp_path / "slow.ipynb", timeout=3,
                                     executed_dir=tmp_path / "executed")
    assert grade.status == {"ex-demo-2": "fail", "ex-demo-3": "missing"}
    assert grade.errors == ["ex-demo-2: CellTimeout: the cell ran longer than 3 s"]
    assert grade.seconds < 30
    assert (tmp_path / "executed" / "slow.ipynb").is_file()


def test_copy_from_the_student_edition_is_graded(tmp_path):
    nb = assign.student_notebook(demo_chapter(), for_book=True)  # stubs: skip-execution
    nb.cells[4].source = nb.cells[4].source.replace(STUB, ANSWER_2)
    nbformat.write(nb, tmp_path / "downloaded.ipynb")
    grade = gradebook.grade_notebook(tmp_path / "downloaded.ipynb", timeout=60)
    assert grade.status == {"ex-demo-2": "pass", "ex-demo-3": "fail"}


def test_notebook_time_limit_leaves_the_rest_not_run(tmp_path):
    nb = _student()
    nb.cells[0].source += "\nimport time\ntime.sleep(4)"
    nbformat.write(nb, tmp_path / "slow.ipynb")
    grade = gradebook.grade_notebook(tmp_path / "slow.ipynb", timeout=60, notebook_timeout=2)
    assert grade.status == {"ex-demo-2": "not run", "ex-demo-3": "not run"}
    assert grade.errors[-1].startswith("stopped: TimeLimit:")


def test_cli_writes_csv_and_prints_table(tmp_path, capsys):
    from dlcourse.__main__ import main

    folder = tmp_path / "in"
    folder.mkdir()
    nbformat.write(demo_chapter(), folder / "a.ipynb")
    assert main(["gradebook", str(folder), "-o", str(tmp_path / "g.csv")]) == 0
    out = capsys.readouterr().out
    assert "a.ipynb" in out and "solved by" in out and "wrote" in out
    assert (tmp_path / "g.csv").read_text().splitlines()[1] == "a.ipynb,pass,pass,2/2,"


def test_grade_folder_validates_arguments(tmp_path):
    with pytest.raises(ValueError, match="grade_folder: folder must be a directory"):
        gradebook.grade_folder(tmp_path / "nope")
    with pytest.raises(ValueError, match="grade_folder: jobs must be >= 1"):
        gradebook.grade_folder(tmp_path, jobs=0)
