"""A notebook whose kernel dies fails at once with a clear message (tests/nbplugin.py),
instead of waiting out nbval's cell timeout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CELL_TIMEOUT_S = 600  # what nbval would wait without the hook


@pytest.mark.parametrize(
    "death, described",
    [("os.kill(os.getpid(), signal.SIGKILL)", "killed by signal 9 (SIGKILL)"),
     ("os._exit(3)", "exit status 3")],
    ids=["sigkill", "exit"],
)
def test_a_dead_kernel_fails_its_cell_at_once_and_says_so(tmp_path, death, described):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell(f"import os, signal\n{death}"),
                nbformat.v4.new_code_cell("x")]
    nbformat.write(nb, tmp_path / "dies.ipynb")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    # the plugin as the root conftest.py loads it for book/
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
           "DLCOURSE_BUILD_DIR": str(tmp_path / "_build")}
    # Without the hook this run would take CELL_TIMEOUT_S; a tenth of it is ample for
    # starting a kernel and running three cells.
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "nbplugin", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "no:randomly", "--nbval-lax", "--nbval-current-env",
         f"--nbval-cell-timeout={CELL_TIMEOUT_S}", "dies.ipynb"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=CELL_TIMEOUT_S / 10,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "1 passed" in out and "2 failed" in out, out
    assert f"the notebook's kernel died while this cell ran ({described})" in out, out
    assert "dies.ipynb::Cell 1: the notebook" in out, out  # names the cell that killed it
