"""Grade a folder of submitted notebooks: who solved which exercise.

Each notebook runs top to bottom in a fresh ``python3`` kernel (nbclient). A failing
cell does not stop it: every exercise is tried, so one wrong answer costs one
exercise, not the rest of the notebook. Each cell has a time limit and so does the
whole notebook; a notebook that cannot even be read, hangs or kills its kernel gets
a row saying so, and the next notebook runs as usual.

An exercise **passes** when all its code cells ran without an error and, if its code
calls a checker, a checker printed its success line (``✓ name: Correct!``). Its
cells are found by :func:`dlcourse.instructor.chapter.exercise_cells` (the label the student copy
carries in its cell metadata, or the gated solution of an instructor's notebook).

Statuses, one per exercise: ``pass``, ``fail``, ``not run`` (the notebook stopped
before it: time limit, dead kernel), ``missing`` (the student deleted its cells) and
an empty cell for an exercise of another chapter.

Student code runs with the grader's permissions: grade in a container or an account
that holds nothing else.
"""

from __future__ import annotations

import csv
import math
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .._validate import positive_float, positive_int
from .chapter import META, SKIP_TAG, exercise_cells
from .markers import checker_calls

__all__ = ["NotebookGrade", "grade_notebook", "grade_folder", "write_csv", "summary_table"]

PASS, FAIL, NOT_RUN, MISSING = "pass", "fail", "not run", "missing"
SUCCESS_MARK = "\u2713"  # the first character of a checker's success line
_SUMMARY_CHARS = 160


@dataclass
class NotebookGrade:
    """The outcome of one submitted notebook."""

    notebook: str  # path relative to the graded folder
    status: dict[str, str] = field(default_factory=dict)  # exercise label -> status
    errors: list[str] = field(default_factory=list)  # "where: Type: first line"
    seconds: float = 0.0

    @property
    def solved(self) -> int:
        return sum(s == PASS for s in self.status.values())

    @property
    def total(self) -> int:
        return len(self.status)


def _first_line(text: str) -> str:
    line = next((l.strip() for l in str(text).splitlines() if l.strip()), "")
    return line if len(line) <= _SUMMARY_CHARS else line[: _SUMMARY_CHARS - 1] + "…"


def _error_text(ename: str, evalue: str) -> str:
    first = _first_line(evalue)
    return f"{ename}: {first}" if first else ename


def _cell_error(cell) -> tuple[str, str] | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", "Error"), out.get("evalue", "")
    return None


def _succeeded(cell) -> bool:
    return any(
        out.get("output_type") == "stream"
        and any(line.startswith(SUCCESS_MARK) for line in out.get("text", "").splitlines())
        for out in cell.get("outputs", [])
    )


def grade_notebook(path: str | Path, *, name: str | None = None, timeout: float = 120,
                   notebook_timeout: float = 900, kernel_name: str = "python3",
                   executed_dir: str | Path | None = None) -> NotebookGrade:
    """Execute one notebook and grade each of its exercises.

    Parameters
    ----------
    path : path-like
        The submitted ``.ipynb``; it is read, never modified.
    name : str, optional
        How the notebook is named in the grade (default: the file name).
    timeout : float
        Seconds allowed per cell; a cell that runs longer is interrupted, fails,
        and the notebook goes on.
    notebook_timeout : float
        Seconds allowed for the whole notebook; the cells not started by then are
        ``not run``.
    kernel_name : str
        Jupyter kernel to run it in.
    executed_dir : path-like, optional
        Write the executed notebook there (``<name>``), to read a student's errors.

    Returns
    -------
    NotebookGrade
        Never raises for a problem with the notebook: it is recorded in ``errors``.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    timeout = positive_float(timeout, "timeout", "grade_notebook")
    notebook_timeout = positive_float(notebook_timeout, "notebook_timeout", "grade_notebook")
    path = Path(path)
    grade = NotebookGrade(name or path.name)
    t0 = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - a broken file is a row, not a crash
        grade.errors.append(f"notebook: {_error_text(type(err).__name__, str(err))}")
        return grade

    cells = exercise_cells(nb)
    for index in cells:  # a copy downloaded from the student edition has its stubs
        tags = nb.cells[index].metadata.get("tags", [])  # tagged skip-execution: run them
        if SKIP_TAG in tags:
            tags.remove(SKIP_TAG)
    expected = list(nb.metadata.get(META, {}).get("exercises") or [])
    labels = list(dict.fromkeys(expected + list(cells.values())))
    replies: dict[int, tuple[str, str]] = {}

    def on_cell_error(cell, cell_index, execute_reply):
        content = execute_reply.get("content", {})
        replies[cell_index] = (content.get("ename", "Error"), content.get("evalue", ""))

    client = NotebookClient(
        nb, timeout=int(max(1, timeout)), kernel_name=kernel_name, allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeout",
                          "evalue": f"the cell ran longer than {timeout:g} s",
                          "traceback": []},
        resources={"metadata": {"path": str(path.parent.resolve())}},
        on_cell_error=on_cell_error,
    )
    executed: set[int] = set()
    stopped = None
    deadline = time.monotonic() + notebook_timeout
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    try:
        with client.setup_kernel(env=env, cwd=str(path.parent.resolve())):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    stopped = f"TimeLimit: the notebook ran longer than {notebook_timeout:g} s"
                    break
                # ceil, not int: a cell may use all the time left, never less
                client.timeout = math.ceil(max(1, min(timeout, left)))
                client.execute_cell(cell, index)
                executed.add(index)
    except DeadKernelError as err:
        stopped = _error_text("DeadKernelError", str(err) or "the kernel died")
    except Exception as err:  # noqa: BLE001 - whatever happens, grade what ran
        stopped = _error_text(type(err).__name__, str(err))

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or index in cells or index not in executed:
            continue
        error = replies.get(index) or _cell_error(cell)
        if error:
            grade.errors.append(f"cell {index}: {_error_text(*error)}")
    for label in labels:
        indices = [i for i, l in cells.items() if l == label]
        if not indices:
            grade.status[label] = MISSING
            continue
        if any(i not in executed for i in indices):
            grade.status[label] = NOT_RUN
            continue
        errors = [replies.get(i) or _cell_error(nb.cells[i]) for i in indices]
        error = next((e for e in errors if e), None)
        checked = any(checker_calls(nb.cells[i].source) for i in indices)
        if error:
            grade.status[label] = FAIL
            grade.errors.append(f"{label}: {_error_text(*error)}")
        elif checked and not any(_succeeded(nb.cells[i]) for i in indices):
            grade.status[label] = FAIL
            grade.errors.append(f"{label}: no checker reported success")
        else:
            grade.status[label] = PASS
    if stopped:
        grade.errors.append(f"stopped: {stopped}")
    grade.seconds = time.perf_counter() - t0
    if executed_dir is not None:
        out = Path(executed_dir) / grade.notebook
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out)
    return grade


def _submissions(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def grade_folder(folder: str | Path, *, timeout: float = 120, notebook_timeout: float = 900,
                 jobs: int = 1, kernel_name: str = "python3",
                 executed_dir: str | Path | None = None) -> list[NotebookGrade]:
    """Grade every ``.ipynb`` below ``folder`` (sorted), ``jobs`` notebooks at a time.

    See :func:`grade_notebook` for the parameters. Returns one grade per notebook,
    in the order of the files.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"grade_folder: folder must be a directory; received {str(folder)!r}")
    jobs = positive_int(jobs, "jobs", "grade_folder")
    paths = _submissions(folder)
    kwargs = dict(timeout=timeout, notebook_timeout=notebook_timeout,
                  kernel_name=kernel_name, executed_dir=executed_dir)
    names = [p.relative_to(folder).as_posix() for p in paths]
    if jobs == 1 or len(paths) < 2:
        return [grade_notebook(p, name=n, **kwargs) for p, n in zip(paths, names)]
    # spawn, not fork: the caller may hold threads (a test runner, a notebook server)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(grade_notebook, p, name=n, **kwargs) for p, n in zip(paths, names)]
        grades = []
        for future, name in zip(futures, names):
            try:
                grades.append(future.result())
            except Exception as err:  # noqa: BLE001 - a worker that died is one row
                grades.append(NotebookGrade(name, errors=[
                    f"grader: {_error_text(type(err).__name__, str(err))}"]))
        return grades


def _columns(grades: list[NotebookGrade]) -> list[str]:
    return list(dict.fromkeys(label for g in grades for label in g.status))


def write_csv(grades: list[NotebookGrade], path: str | Path) -> Path:
    """One row per notebook: ``notebook``, one column per exercise, ``solved``, ``errors``."""
    path = Path(path)
    labels = _columns(grades)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["notebook", *labels, "solved", "errors"])
        for g in grades:
            writer.writerow([g.notebook, *(g.status.get(label, "") for label in labels),
                             f"{g.solved}/{g.total}", " | ".join(g.errors)])
    return path


_SYMBOL = {PASS: "pass", FAIL: "FAIL", NOT_RUN: "not run", MISSING: "missing", "": "-"}


def summary_table(grades: list[NotebookGrade]) -> str:
    """A plain-text table for the terminal: one row per notebook, then solve counts."""
    labels = _columns(grades)
    rows = [["notebook", *labels, "solved"]]
    for g in grades:
        rows.append([g.notebook, *(_SYMBOL[g.status.get(label, "")] for label in labels),
                     f"{g.solved}/{g.total}"])
    solved_by = []
    for label in labels:
        tried = [g for g in grades if label in g.status]
        solved_by.append(f"{sum(g.status[label] == PASS for g in tried)}/{len(tried)}")
    rows.append(["solved by", *solved_by, ""])
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
