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


#: How the kernel dies, and how the failure describes it.
DEATHS = {"sigkill": ("os.kill(os.getpid(), signal.SIGKILL)", "killed by signal 9 (SIGKILL)"),
          "exit": ("os._exit(3)", "exit status 3")}


def test_a_dead_kernel_fails_its_cell_at_once_and_says_so(tmp_path):
    """One notebook per way of dying, both in one pytest run (one start-up, not two)."""
    for name, (death, _) in DEATHS.items():
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                    nbformat.v4.new_code_cell(f"import os, signal\n{death}"),
                    nbformat.v4.new_code_cell("x")]
        nbformat.write(nb, tmp_path / f"dies_{name}.ipynb")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    # the plugin as the root conftest.py loads it for book/
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
           "DLCOURSE_BUILD_DIR": str(tmp_path / "_build")}
    # Without the hook this run would take CELL_TIMEOUT_S per notebook; a tenth of it is
    # ample for starting two kernels and running three cells in each.
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "nbplugin", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "no:randomly", "--nbval-lax", "--nbval-current-env",
         f"--nbval-cell-timeout={CELL_TIMEOUT_S}", *(f"dies_{n}.ipynb" for n in DEATHS)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=CELL_TIMEOUT_S / 10,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "2 passed" in out and "4 failed" in out, out  # each: Cell 0 passes, Cells 1, 2 fail
    for name, (_, described) in DEATHS.items():
        assert f"dies_{name}.ipynb::Cell 1: the notebook's kernel died while this cell ran " \
               f"({described})" in out, out  # names the cell that killed it, and how
