"""One execution per notebook: every notebook check rides on nbval's single run.

``make test`` runs each chapter once, under nbval (``--nbval-lax``: every cell runs,
a failing ``assert`` fails its cell). This pytest plugin, loaded by the repository's
root ``conftest.py``, applies every other notebook check to that same run instead of
executing the chapter again:

- **stderr** — a cell that writes to stderr fails (the ``-W`` book build would fail
  on it too: ``stderr_output: warn``).
- **offline** — every kernel starts with the offline guard of
  :func:`nbexec.offline_ipython_dir` (``IPYTHONDIR`` is set for the whole session);
  a cell during which a network connection was attempted fails, even if the
  notebook swallowed the error.
- **dead kernel** — nbval waits for a cell's reply for the whole
  ``--nbval-cell-timeout`` even when the kernel has died (a crash in native code, the
  out-of-memory killer); the call hook makes it poll the kernel once a second and fail
  at once with a message that says the kernel died and how.
- **figures** — after the last cell, an extra item ``<notebook>::run`` records the
  run (wall seconds from kernel start, kernel CPU seconds, peak resident memory,
  per-cell seconds) in ``_build/notebook-runs/`` for ``benchmarks/notebooks.py``,
  and, when every cell passed, stores the executed notebook in the book build's
  execution cache (``_build/.jupyter_cache``), so ``make book`` after ``make test``
  executes nothing again and re-runs only a notebook whose code changed.
- **hidden tests** — after the last cell of each code exercise, an extra item
  ``<notebook>::hidden[<label>]`` runs the exercise's hidden test
  (:mod:`dlcourse.instructor.hidden`) in the same kernel, on the names the worked
  solution defined, from the test's source text alone (as nbgrader's release and the
  gradebook run it): the chapter's own answer must pass its hidden test. NumPy's and
  Python's global random states are restored afterwards, so later cells print what
  they print without it.
- **student copy** — just before the chapter's first exercise cell, an extra item
  ``<notebook>::student`` runs the student copy's exercise cells (stubs) in the same
  kernel and checks, with :func:`studentcopy.problems`, what ``test_assign`` checks on
  an execution of the student copy: it fails only at the stubs and prints no solution
  line. The cells before the first exercise cell are the same in both copies, so
  nbval's run of them is the student's. ``test_assign`` then skips that chapter; it
  still executes the student copy of a chapter whose exercises are not last, or that
  nbval does not run in the session.
- **determinism** — for the chapters in :data:`DETERMINISM_SAMPLE`, an extra item
  ``<notebook>::determinism`` executes the notebook once more (a fresh kernel,
  offline) and compares what the two runs printed (:func:`nbexec.comparable_outputs`).

With pytest-xdist, ``--dist loadscope`` keeps a notebook's cells and its extra items
in one worker, in order.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import json
import os
import re
import signal
import tempfile
import time
from pathlib import Path
from queue import Empty

import pytest

import nbexec
import studentcopy

#: The heavier chapters (Keras training, the longest NumPy loops) run a second time to
#: prove that a rerun prints the same numbers, plus the background chapter (plots and
#: the perceptron). The others are seeded the same way (``dlcourse.setup``).
DETERMINISM_SAMPLE = (
    "book/code/cnn_digits.ipynb",
    "book/code/lstm.ipynb",
    "book/code/autoencoder.ipynb",
    "book/background/background.ipynb",
)

#: The book's build folder (``make book`` builds into ``_build/html``); a test of this
#: plugin points it elsewhere with ``DLCOURSE_BUILD_DIR``.
BUILD_DIR = Path(os.environ.get("DLCOURSE_BUILD_DIR") or nbexec.REPO / "_build")
RUNS_DIR = BUILD_DIR / "notebook-runs"
CACHE_DIR = BUILD_DIR / ".jupyter_cache"
SECOND_RUN_TIMEOUT_S = 300
#: How often (seconds) a running cell checks that its kernel is still alive.
KERNEL_POLL_S = 1.0


def _is_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"


# ------------------------------------------------------------- session set-up


def _execute_as_a_notebook_does(self, cell_input, allow_stdin=None):
    """nbval's ``RunningKernel.execute_cell_input``, but with ``store_history=True`` as
    Jupyter's own clients send it. With nbval's ``False``, IPython cannot see a cell's
    trailing ``;`` and echoes the value it should suppress (``Text(0.5, 1.0, ...)`` under
    a plot), so nbval's outputs would differ from the book's and the second run's."""
    return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin,
                           stop_on_error=False)


def pytest_configure(config):
    """Every kernel of this session (nbval's, nbexec's) starts behind the offline guard,
    and nbval executes cells the way a notebook client does."""
    try:
        from nbval.kernel import RunningKernel
    except ImportError:  # nbval is not installed: no notebook is collected anyway
        pass
    else:
        RunningKernel.execute_cell_input = _execute_as_a_notebook_does
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder = Path(tempfile.mkdtemp(prefix=f"dlcourse-offline-{worker}-"))
    os.environ["IPYTHONDIR"] = str(nbexec.offline_ipython_dir(folder / "ipython"))
    os.environ[nbexec.NETLOG_ENV] = str(folder / "blocked.log")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # a debugger notice on stderr


class _Run:
    """What one notebook's nbval run left behind, cell by cell."""

    def __init__(self):
        self.started = time.perf_counter()
        self.outputs: dict[int, list] = {}  # code-cell number -> outputs
        self.counts: dict[int, int] = {}  # code-cell number -> execution count
        self.seconds: dict[int, float] = {}
        self.outcomes: dict[int, str] = {}
        self.peak_rss: int | None = None
        self.cpu_seconds: float | None = None
        self.ended: float | None = None


_RUNS: dict[str, _Run] = {}


def _netlog_lines() -> list[str]:
    path = os.environ.get(nbexec.NETLOG_ENV)
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as log:
        return log.read().splitlines()


def _kernel_pid(nbfile) -> int | None:
    kernel = getattr(nbfile, "kernel", None)
    km = getattr(kernel, "km", None)
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    return getattr(provisioner, "pid", None) or getattr(process, "pid", None)


def _cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of a live process (Linux ``/proc/<pid>/stat``)."""
    if not pid:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


# ------------------------------------------------------------------ per cell


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    if _is_cell(item) and item.parent.nodeid not in _RUNS:
        _RUNS[item.parent.nodeid] = _Run()  # before nbval starts the kernel
    if _is_cell(item):
        item._netlog_before = len(_netlog_lines())
    yield


class DeadKernelError(RuntimeError):
    """The notebook's kernel process ended while a cell was running."""


def _exit_description(kernel) -> str:
    process = getattr(getattr(kernel.km, "provisioner", None), "process", None)
    code = process.poll() if process is not None else None
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _fail_fast_when_kernel_dies(item) -> None:
    """Make the notebook kernel's ``await_reply`` (nbval waits there for a cell's reply)
    wait in short slices and raise :class:`DeadKernelError` naming ``item`` as soon as
    the kernel process is gone."""
    kernel = item.parent.kernel
    wait_for_reply = getattr(kernel, "_dlcourse_await_reply", None)
    if wait_for_reply is None:
        wait_for_reply = kernel._dlcourse_await_reply = kernel.await_reply

    def await_reply(msg_id, timeout=None):
        deadline = None if timeout is None else time.monotonic() + float(timeout)
        while True:
            left = KERNEL_POLL_S if deadline is None else deadline - time.monotonic()
            try:
                return wait_for_reply(msg_id, timeout=max(0.0, min(KERNEL_POLL_S, left)))
            except Empty:
                if not kernel.is_alive():
                    raise DeadKernelError(
                        f"{item.nodeid}: the notebook's kernel died while this cell ran "
                        f"({_exit_description(kernel)}): a crash in native code or the "
                        "memory limit; the notebook's later cells cannot run"
                    ) from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise  # nbval's own cell timeout

    kernel.await_reply = await_reply


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if _is_cell(item) and getattr(item.parent, "kernel", None) is not None:
        _fail_fast_when_kernel_dies(item)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not _is_cell(item) or call.when != "call":
        return
    run = _RUNS.get(item.parent.nodeid)
    if run is not None:
        number = item.cell_num
        run.outputs[number] = list(item.test_outputs or [])
        run.seconds[number] = call.duration
        pid = _kernel_pid(item.parent)
        rss = nbexec._vmhwm(pid)
        if rss is not None:
            run.peak_rss = max(run.peak_rss or 0, rss)
        cpu = _cpu_seconds(pid)
        if cpu is not None:
            run.cpu_seconds = cpu
        run.ended = time.perf_counter()
    if report.passed:
        problem = _stderr_problem(item) or _network_problem(item)
        if problem:
            report.outcome = "failed"
            report.longrepr = problem
    if run is not None:
        run.outcomes[item.cell_num] = report.outcome


def _stderr_problem(item) -> str | None:
    text = "".join(
        out.get("text", "") for out in (item.test_outputs or [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )
    if not text.strip():
        return None
    return (f"{item.nodeid}: the cell wrote to stderr, which fails the book build "
            f"(stderr_output: warn, -W). Silence the cause instead of hiding it:\n{text[:2000]}")


def _network_problem(item) -> str | None:
    attempts = _netlog_lines()[getattr(item, "_netlog_before", 0):]
    if not attempts:
        return None
    return (f"{item.nodeid}: the cell tried to use the network (nothing in the course may "
            "download; ship or generate the data with dlcourse.data):\n" + "\n".join(attempts[:10]))


# ------------------------------------------------------- per notebook, once


class _NotebookItem(pytest.Item):
    """An item that reports its failure as its message alone (no pytest internals)."""

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, self.nodeid


class NotebookRun(_NotebookItem):
    """Record one notebook's run and hand its outputs to the book's execution cache."""

    def runtest(self):
        run = _RUNS.get(self.parent.nodeid)
        if run is None:
            pytest.skip("no cell of this notebook ran")
        index = [i for i, c in enumerate(self.parent.nb.cells) if c.cell_type == "code"]
        cells = [c for c in self.parent.nb.cells if c.cell_type == "code"]
        failed = sorted(n for n, o in run.outcomes.items() if o != "passed")
        path = Path(str(self.parent.fspath))
        record = {
            "notebook": nbexec.rel(path),
            "seconds": round((run.ended or time.perf_counter()) - run.started, 2),
            "cpu_seconds": None if run.cpu_seconds is None else round(run.cpu_seconds, 2),
            "peak_rss": run.peak_rss,
            # keyed by the cell's index in the notebook (markdown cells count), as nbexec's
            "cell_seconds": {str(index[n]): round(s, 3) for n, s in sorted(run.seconds.items())},
            "cells": len(cells),
            "passed": not failed and len(run.outcomes) == len(cells),
            "finished": time.time(),
        }
        target = RUNS_DIR / (nbexec.rel(path).replace("/", "__") + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record, indent=1), encoding="utf-8")
        if not record["passed"]:
            pytest.skip(f"not cached for the book build: {len(failed)} cell(s) failed or were skipped")
        executed = executed_notebook(path, run)
        store_in_cache(executed, path, record["seconds"])


def executed_notebook(path: Path, run: _Run):
    """The notebook as read from disk, with the outputs of this run in its code cells."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [nbformat.from_dict(dict(o)) for o in run.outputs.get(number, [])]
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out.setdefault("execution_count", number + 1)
                out.setdefault("metadata", {})
            elif out.get("output_type") == "display_data":
                out.setdefault("metadata", {})
        cell.execution_count = number + 1
        number += 1
    return nb


def store_in_cache(nb, path: Path, seconds: float) -> None:
    """Put an executed notebook into Jupyter Book's execution cache (jupyter-cache).

    The cache matches a notebook by a hash of its code cells and kernelspec, exactly as
    the build does (``execute_notebooks: cache``), so the build then merges these outputs
    instead of executing. A lock file serialises the pytest-xdist workers' writes.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR.parent / ".jupyter_cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cache = get_cache(str(CACHE_DIR))
        cache.cache_notebook_bundle(
            CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
            check_validity=False, overwrite=True)
        assert cache.match_cache_notebook(nb) is not None


class NotebookDeterminism(_NotebookItem):
    """A second, fresh run of the notebook prints what nbval's run printed."""

    def runtest(self):
        run = _RUNS.get(self.parent.nodeid)
        cells = [c for c in self.parent.nb.cells if c.cell_type == "code"]
        if run is None or sorted(run.outcomes) != list(range(len(cells))) or any(
                o != "passed" for o in run.outcomes.values()):
            pytest.skip("the first run did not pass every cell: nothing to compare")
        kernel = getattr(self.parent, "kernel", None)
        if kernel is not None and kernel.is_alive():
            kernel.stop()  # free the first kernel's memory before the second starts
        path = Path(str(self.parent.fspath))
        first = nbexec.comparable_outputs(executed_notebook(path, run))
        again = nbexec.execute(path, timeout=SECOND_RUN_TIMEOUT_S, offline=True)
        assert again.ok, f"{nbexec.rel(path)}: the second run failed:\n{again.error}"
        assert not again.blocked, (
            f"{nbexec.rel(path)}: the second run tried to use the network:\n" + "\n".join(again.blocked))
        second = nbexec.comparable_outputs(again.notebook)
        differ = [i for i in first if first[i] != second.get(i)]
        cells = again.notebook.cells
        report = "\n\n".join(
            f"cell {i} ({nbexec.first_line(cells[i].source)!r}):\n{_diff(first[i], second.get(i, ''))}"
            for i in differ[:5])
        assert not differ, (
            f"{nbexec.rel(path)}: {len(differ)} cell(s) printed different output in two runs. "
            "Seed the randomness (dlcourse.setup) or, for a wall-clock timing only, tag the cell "
            f"'{nbexec.NONDETERMINISTIC_TAG}' (CONTRIBUTING.md, 'Checked numbers').\n\n{report}")


def _diff(a: str, b: str, limit: int = 1500) -> str:
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), "run 1", "run 2", lineterm="", n=1)
    return "\n".join(lines)[:limit]


HIDDEN_TEST_TIMEOUT_S = 120


def _run_code(kernel, code: str, *, timeout: float, what: str, silent: bool):
    """Run ``code`` in a notebook's kernel (nbval's) between two of its cells; return the
    ``execute_reply`` content and, unless ``silent``, the outputs (nbformat dicts).

    Raises :class:`DeadKernelError` if the kernel dies, ``AssertionError`` (after
    interrupting the kernel) past ``timeout`` seconds. ``store_history=False``: the
    cells nbval runs next keep their execution counts.
    """
    from nbformat.v4 import output_from_msg

    msg_id = kernel.kc.execute(code, silent=silent, store_history=False, stop_on_error=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            msg = kernel.get_message(stream="shell", timeout=KERNEL_POLL_S)
        except Empty:
            if not kernel.is_alive():
                raise DeadKernelError(f"{what}: the kernel died") from None
            if time.monotonic() > deadline:
                kernel.interrupt()
                raise AssertionError(f"{what} ran over {timeout} s") from None
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg["content"]
            break
    outputs = []
    while not silent:
        msg = kernel.get_message(stream="iopub", timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append(output_from_msg(msg))
    return reply, outputs


_SAVE_RANDOM = """\
import random as _dlcourse_random, numpy as _dlcourse_numpy
_dlcourse_states = _dlcourse_numpy.random.get_state(), _dlcourse_random.getstate()
del _dlcourse_random, _dlcourse_numpy
"""
_RESTORE_RANDOM = """\
import random as _dlcourse_random, numpy as _dlcourse_numpy
_dlcourse_numpy.random.set_state(_dlcourse_states[0])
_dlcourse_random.setstate(_dlcourse_states[1])
del _dlcourse_random, _dlcourse_numpy, _dlcourse_states
"""


@contextlib.contextmanager
def _random_states_kept(kernel, what: str):
    """NumPy's and Python's global random states in the kernel are as they were before
    the block, so the notebook's later cells print what they print without it."""
    _run_code(kernel, _SAVE_RANDOM, timeout=60, what=what, silent=True)
    try:
        yield
    finally:
        if kernel.is_alive():
            _run_code(kernel, _RESTORE_RANDOM, timeout=60, what=what, silent=True)


def hidden_test_source(fn, label: str) -> str:
    """Code that runs hidden test ``fn`` in a notebook's kernel on the kernel's names."""
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(fn))
    params = list(inspect.signature(fn).parameters)
    return f"""\
def _dlcourse_hidden_test():
    namespace = {{}}
    exec(compile({source!r}, "<hidden test {fn.__name__}>", "exec"), namespace)
    defined = globals()
    missing = [p for p in {params!r} if p not in defined]
    if missing:
        raise NameError("the notebook defines no " + repr(missing[0]) + ", which the hidden "
                        "test of {label} takes")
    namespace[{fn.__name__!r}](*[defined[p] for p in {params!r}])
try:
    _dlcourse_hidden_test()
finally:
    del _dlcourse_hidden_test
"""


def hidden_plan(nb) -> dict[int, list[tuple[str, object]]]:
    """``{code-cell number: [(label, hidden test), ...]}``: each code exercise's hidden
    test, after the exercise's last code cell (numbered among code cells, as nbval does)."""
    from dlcourse.instructor.chapter import exercise_cells
    from dlcourse.instructor.hidden import hidden_test

    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    found = _CHECKER_IMPORT.findall(text)
    if not found:
        return {}
    module = found[0]
    number = {index: n for n, index in enumerate(
        i for i, c in enumerate(nb.cells) if c.cell_type == "code")}
    last: dict[str, int] = {}
    for index, label in exercise_cells(nb).items():
        last[label] = max(last.get(label, -1), number[index])
    plan: dict[int, list] = {}
    for label, n in sorted(last.items(), key=lambda kv: kv[1]):
        fn = hidden_test(module, label)
        if fn is not None:
            plan.setdefault(n, []).append((label, fn))
    return plan


_CHECKER_IMPORT = re.compile(r"^\s*from\s+dlcourse\.exercises\s+import\s+(\w+)\s+as\s+\w+\s*$", re.M)


class NotebookHidden(_NotebookItem):
    """The hidden test of one code exercise passes on the chapter's worked solution."""

    def setup_plan(self, label: str, fn, cell_num: int):
        self.label, self.fn, self.cell_num = label, fn, cell_num
        return self

    def runtest(self):
        run = _RUNS.get(self.parent.nodeid)
        if run is None or any(run.outcomes.get(n) != "passed" for n in range(self.cell_num + 1)):
            pytest.skip("a cell up to the exercise's last one did not pass: nothing to test")
        kernel = getattr(self.parent, "kernel", None)
        if kernel is None or not kernel.is_alive():
            pytest.skip("the notebook's kernel is gone")
        what = f"{self.nodeid}: the hidden test"
        with _random_states_kept(kernel, what):
            content, _ = _run_code(kernel, hidden_test_source(self.fn, self.label),
                                   timeout=HIDDEN_TEST_TIMEOUT_S, what=what, silent=True)
        if content["status"] != "ok":
            raise AssertionError(
                f"{self.nodeid}: the chapter's own answer fails the hidden test "
                f"{self.fn.__name__} ({self.fn.__module__}): "
                f"{content.get('ename')}: {content.get('evalue')}")


STUDENT_CELL_TIMEOUT_S = 300
#: Tags with which nbval does not run a cell (or not the whole of it) the way a learner does.
_NOT_RUN_BY_NBVAL = {"nbval-skip", "skip-execution"}
#: Notebooks whose student copy ``::student`` checks in this session (``test_assign``
#: then does not execute that copy again).
STUDENT_CHECKED = pytest.StashKey[set]()


def student_plan(nb, source: str):
    """``(student copy, its exercise cells, the code-cell number of the first)`` when the
    student copy can be checked on nbval's run of ``nb`` (:func:`studentcopy.stub_cells`),
    else ``None``. With no code exercise the number is that of the last code cell + 1."""
    from dlcourse.instructor import assign

    if any(set(c.metadata.get("tags", [])) & _NOT_RUN_BY_NBVAL for c in nb.cells
           if c.cell_type == "code"):
        return None  # nbval's run would not be the student's: test_assign executes the copy
    try:
        student = assign.student_notebook(nb, source=source)
    except ValueError:  # broken markers: test_assign names them
        return None
    cells = studentcopy.stub_cells(student)
    if cells is None:
        return None
    code = [i for i, c in enumerate(student.cells) if c.cell_type == "code"]
    first = code.index(cells[0]) if cells else len(code)
    return student, cells, first


class NotebookStudent(_NotebookItem):
    """The chapter's student copy fails only at its stubs and prints no solution line.

    Runs just before the chapter's first exercise cell, in nbval's kernel: the cells
    before it ran as they run in the student copy (the same code on the same state), and
    the student's exercise cells run here, in order, before nbval runs the worked ones.
    NumPy's and Python's global random states are restored afterwards.
    """

    def setup_plan(self, source, student, cells, first):
        self.source, self.student, self.cells, self.first = source, student, cells, first
        return self

    def runtest(self):
        run = _RUNS.get(self.parent.nodeid)
        if run is None or any(run.outcomes.get(n) != "passed" for n in range(self.first)):
            pytest.skip("a cell before the exercises did not pass (nbval reports it): "
                        "nothing to compare")
        kernel = getattr(self.parent, "kernel", None)
        if self.cells and (kernel is None or not kernel.is_alive()):
            pytest.skip("the notebook's kernel is gone")
        texts = [str(o) for n in range(self.first) for o in run.outputs.get(n, [])]
        errors = {}
        what = f"{self.nodeid}: a cell of the student copy"
        if self.cells:
            with _random_states_kept(kernel, what):
                for index in self.cells:
                    content, outputs = _run_code(kernel, self.student.cells[index].source,
                                                 timeout=STUDENT_CELL_TIMEOUT_S, what=what,
                                                 silent=False)
                    if content["status"] == "error":
                        errors[index] = {"ename": content.get("ename", ""),
                                         "evalue": content.get("evalue", "")}
                    texts += [str(o) for o in outputs]
        failures = studentcopy.problems(self.source, self.student, errors, "\n".join(texts))
        assert not failures, (
            f"{self.nodeid}: the student copy (python -m dlcourse assign), run top to "
            "bottom:\n" + "\n".join(failures))


def pytest_collection_modifyitems(session, config, items):
    """After each code exercise's last cell its ``::hidden[<label>]`` item; after each
    notebook's last cell its ``::run`` item, and ``::determinism`` for the sample."""
    out, index = [], 0
    while index < len(items):
        item = items[index]
        if not _is_cell(item):
            out.append(item)
            index += 1
            continue
        nbfile = item.parent
        plan = hidden_plan(nbfile.nb)
        student = student_plan(nbfile.nb, nbexec.rel(Path(str(nbfile.fspath))))
        student_item = student and NotebookStudent.from_parent(nbfile, name="student") \
            .setup_plan(nbfile.nb, *student)
        while index < len(items) and _is_cell(items[index]) and items[index].parent is nbfile:
            if student_item and items[index].cell_num == student[2]:
                out.append(student_item)
                student_item = None
            out.append(items[index])
            for label, fn in plan.get(items[index].cell_num, []):
                out.append(NotebookHidden.from_parent(nbfile, name=f"hidden[{label}]")
                           .setup_plan(label, fn, items[index].cell_num))
            index += 1
        if student_item:  # no code exercise: after the last cell
            out.append(student_item)
        out.append(NotebookRun.from_parent(nbfile, name="run"))
        if nbexec.rel(Path(str(nbfile.fspath))) in DETERMINISM_SAMPLE:
            out.append(NotebookDeterminism.from_parent(nbfile, name="determinism"))
    items[:] = out


def pytest_collection_finish(session):
    """Which notebooks' student copies ``::student`` checks (after any deselection)."""
    session.config.stash[STUDENT_CHECKED] = {
        nbexec.rel(Path(str(item.parent.fspath)))
        for item in session.items if isinstance(item, NotebookStudent)}
