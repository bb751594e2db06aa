"""Seconds per graded notebook of the built-in gradebook (``gradebook --book``).

Grades N solved copies of one chapter (default: background, 4 copies) three ways: in
the bubblewrap sandbox one at a time, without the sandbox one at a time, and in the
sandbox two at a time (``-j 2``), and prints the wall-clock seconds per notebook.

    .venv/bin/python benchmarks/gradebook.py [--chapter book/background/background.ipynb] [-n 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dlcourse.instructor import chapter, grading  # noqa: E402
from dlcourse.instructor.assign import student_notebook  # noqa: E402
from dlcourse.instructor.markers import solution_regions  # noqa: E402


def solved_copy(nb):
    """A student copy whose stubs hold the chapter's own answers."""
    student = student_notebook(nb, answer_cells=True)
    by_id = {c.get("id"): c for c in nb.cells}
    for cell in student.cells:
        original = by_id.get(cell.get("id"))
        if cell.cell_type != "code" or original is None:
            continue
        lines = original.source.split("\n")
        for r in solution_regions(original.source):
            stub = f"{r.indent}# YOUR CODE HERE\n{r.indent}raise NotImplementedError"
            cell.source = cell.source.replace(stub, "\n".join(lines[r.begin + 1 : r.end]), 1)
    return student


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default=str(ROOT / "book/background/background.ipynb"))
    parser.add_argument("-n", type=int, default=4, help="copies to grade (default: 4)")
    args = parser.parse_args()
    path = Path(args.chapter)
    nb = nbformat.read(path, as_version=4)
    points = sum(e.points for e in chapter.exercises_of(nb, path.stem) if e.kind == "code")
    runs = [("sandbox, -j 1", True, 1), ("no sandbox, -j 1", False, 1), ("sandbox, -j 2", True, 2)]
    if not grading.sandbox_available():
        print("bubblewrap is not installed: only the runs without the sandbox are measured")
        runs = [("no sandbox, -j 1", False, 1), ("no sandbox, -j 2", False, 2)]
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {args.n} solved copies")
    print(f"{'run':<18} {'s/notebook':>10} {'total s':>8}  points")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        for k in range(args.n):
            (folder / f"student{k}").mkdir(parents=True)
            nbformat.write(solved_copy(nb), folder / f"student{k}" / path.name)
        for name, sandbox, jobs in runs:
            t0 = time.perf_counter()
            grades = grading.grade_course(folder, path.parent.parent, jobs=jobs, sandbox=sandbox)
            total = time.perf_counter() - t0
            got = sorted({f"{g.points:g}" for g in grades})
            print(f"{name:<18} {total / args.n:>10.1f} {total:>8.1f}  {'/'.join(got)} of {points}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
