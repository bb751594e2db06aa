"""`make workbook` (run by `make lab`): learner copies written once, never over edits."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = Path("core") / "activations.ipynb"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_workbook_is_written_once_and_keeps_a_learners_edits(tmp_path):
    workbook = tmp_path / "workbook"
    # -o: the venv is already installed (a worktree's stamp looks stale to make)
    make = ["make", "-s", "-C", str(ROOT), "-o", ".venv/.installed", "workbook",
            f"WORKBOOK={workbook}"]
    first = subprocess.run(make, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "worked solutions: book/" in first.stdout
    copy = workbook / CHAPTER
    nb = nbformat.read(copy, as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    assert "# YOUR CODE HERE" in sources and "BEGIN SOLUTION" not in sources
    assert nb.metadata["dlcourse"]["edition"] == "student"
    stubs = [c for c in nb.cells if "# YOUR CODE HERE" in c.source]
    assert not [c for c in stubs if c.metadata.get("jupyter", {}).get("source_hidden")], \
        "a stub to fill in must not be folded like the chapter's solution code"
    nb.cells[0].source += "\n\nMy notes."
    nbformat.write(nb, copy)
    again = subprocess.run(make, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert nbformat.read(copy, as_version=4).cells[0].source.endswith("My notes.")
    book = {p.relative_to(ROOT / "book") for p in (ROOT / "book").rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts}
    assert {p.relative_to(workbook) for p in workbook.rglob("*.ipynb")} == book
