"""The notebook checks that ride on nbval's single run (``tests/nbplugin.py``), end to end.

A pytest run in a subprocess, on three tiny notebooks, with the plugin loaded the way
the root ``conftest.py`` loads it: a cell that writes to stderr fails, a cell that
tries the network fails even though it swallowed the error, and a clean notebook gets
its run record and lands in the execution cache, where a build would find it, with
the outputs a notebook client would show (a trailing ``;`` hides a value). Two
one-exercise chapters show the student-copy check (``::student``): it passes when the
exercise's check rejects the stub and fails when the check accepts it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
import nbexec  # noqa: E402

NOTEBOOKS = {
    "noisy": ["import sys\nprint('a warning', file=sys.stderr)", "print(1)"],
    "online": [textwrap.dedent("""\
        import urllib.request
        try:
            urllib.request.urlopen("http://example.com", timeout=2)
        except OSError:
            print("swallowed")
        """), "print(2)"],
    "clean": ["x = 6 * 7\nprint(x)", "x", "x;  # a trailing semicolon hides the value"],
}

#: Chapters with one exercise each (a gated solution): the first's check rejects the
#: stub, the second's accepts it, which ``::student`` must catch.
_ANSWER = ("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x  # the-answer\n"
           "    ### END SOLUTION\n\n\n")
EXERCISES = {
    "exercised": _ANSWER + "assert double(21) == 42",
    "accepts_stub": _ANSWER + "print('checked')",
}


def _write(folder: Path, name: str, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), *cells]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _exercise_cells(answer: str) -> list:
    """A setup cell, then ``answer`` as the one code cell of a gated solution."""
    return [nbformat.v4.new_code_cell("y = 1"),
            nbformat.v4.new_markdown_cell("```{solution-start} ex-demo-1\n```"),
            nbformat.v4.new_code_cell(answer),
            nbformat.v4.new_markdown_cell("```{solution-end}\n```")]


def test_one_run_gives_every_check(tmp_path):
    books = tmp_path / "book"
    books.mkdir()
    paths = {name: _write(books, name, [nbformat.v4.new_code_cell(c) for c in src])
             for name, src in NOTEBOOKS.items()}
    for name, answer in EXERCISES.items():
        _write(books, name, _exercise_cells(answer))
    build = tmp_path / "_build"
    env = {**os.environ, "DLCOURSE_BUILD_DIR": str(build),
           "PYTHONPATH": os.pathsep.join([str(nbexec.REPO / "tests"), str(nbexec.REPO)])}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "nbplugin", "-p", "no:xdist", "-p", "no:cacheprovider",
         "--nbval-lax", "--nbval-current-env", "-q", "-rA", str(books)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "FAILED book/noisy.ipynb::Cell 0" in out and "wrote to stderr" in out, out
    assert "FAILED book/online.ipynb::Cell 0" in out and "tried to use the network" in out, out
    assert "PASSED book/clean.ipynb::Cell 1" in out and "PASSED book/clean.ipynb::run" in out, out
    # the student copy, checked on the chapter's run just before its exercise cell
    assert "PASSED book/exercised.ipynb::student" in out, out
    assert "PASSED book/exercised.ipynb::Cell 1" in out, out
    assert "FAILED book/accepts_stub.ipynb::student" in out, out
    assert "ran without error on the stub" in out, out

    records = {json.loads(p.read_text())["notebook"]: json.loads(p.read_text())
               for p in (build / "notebook-runs").glob("*.json")}
    record = records[str(paths["clean"])]
    assert record["passed"] and record["cells"] == 3 and record["seconds"] > 0, record
    assert record["peak_rss"] > 10 * 2**20 and record["cpu_seconds"] > 0, record
    assert not records[str(paths["noisy"])]["passed"]

    from jupyter_cache import get_cache
    cache = get_cache(str(build / ".jupyter_cache"))
    fresh = nbformat.read(paths["clean"], as_version=4)  # as the book build reads it
    match = cache.match_cache_notebook(fresh)
    cached = cache.get_cache_bundle(match.pk).nb
    code = [c for c in cached.cells if c.cell_type == "code"]
    assert code[0].outputs[0]["text"] == "42\n"
    assert code[1].outputs[0]["data"]["text/plain"] == "42"
    assert code[2].outputs == [], "nbval must run cells as a notebook does (`;` hides the value)"
    assert [c.execution_count for c in code] == [1, 2, 3]
    assert len(cache.list_cache_records()) == 3, "a failed notebook must not be cached"
