"""The instructor's command line answers a wrong file with one line and exit code 2.

Every command is given a missing path, a corrupted notebook, a notebook that is not a
chapter and a student copy where a chapter is expected; each time it must print one
line naming the file and the problem on stderr, exit 2, write nothing and show no
traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_assign import demo_chapter  # noqa: E402

from dlcourse.instructor import assign  # noqa: E402
from dlcourse.instructor.cli import main  # noqa: E402


def _bad_files(tmp: Path) -> dict[str, Path]:
    corrupted = tmp / "corrupted.ipynb"
    corrupted.write_text('{"cells": [', encoding="utf-8")
    stranger = tmp / "stranger.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]),
                   stranger)
    student = tmp / "student.ipynb"
    nbformat.write(assign.student_notebook(demo_chapter(), source="demo.ipynb"), student)
    text = tmp / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    return {"missing": tmp / "missing.ipynb", "corrupted": corrupted,
            "not a chapter": stranger, "student copy": student, "not a notebook": text}


PROBLEMS = {"missing": "no such file", "corrupted": "invalid JSON",
            "not a chapter": "no labelled {exercise}", "student copy": "student copy",
            "not a notebook": ".ipynb"}


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_assign_names_the_bad_file_in_one_line(kind, tmp_path, capsys):
    bad = _bad_files(tmp_path)[kind]
    out = tmp_path / "out"
    assert main(["assign", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert str(bad.name) in err and PROBLEMS[kind] in err
    assert "Traceback" not in err
    assert not out.exists(), "a refused command wrote something"


def test_assign_writes_nothing_when_one_of_several_chapters_is_bad(tmp_path, capsys):
    good = tmp_path / "demo.ipynb"
    nbformat.write(demo_chapter(), good)
    bad = _bad_files(tmp_path)["corrupted"]
    assert main(["assign", str(good), str(bad), "-o", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv, named", [
    (["gradebook", "{tmp}/no-such-folder"], "no-such-folder"),
    (["exercises", "--check", "{tmp}/no-such-page.md"], "no-such-page.md"),
    (["exercises", "--root", "{tmp}/nowhere"], "_toc.yml"),
    (["book-config", "--config", "{tmp}/none.yml", "-o", "{tmp}/x.yml"], "none.yml"),
])
def test_every_command_names_a_wrong_path_in_one_line(argv, named, tmp_path, capsys):
    code = main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and named in err and "Traceback" not in err, err
