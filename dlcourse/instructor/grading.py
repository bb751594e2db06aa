"""The built-in gradebook, graded against the instructor's chapters.

``python -m dlcourse gradebook SUBMISSIONS --book book`` grades
``SUBMISSIONS/<student id>/<chapter>.ipynb`` against ``book/**/<chapter>.ipynb``:

1. From the submission it takes only the student's **answers**: the text that replaced
   each stub of a code exercise (found by the cell's id, or its exercise label) and the
   text of each pen-and-paper answer cell. Nothing else of the submission is used: not
   its other cells, metadata, outputs or list of exercises.
2. It puts the answers into a fresh student copy of the chapter, and after each code
   exercise adds a **grader cell** of its own: it re-imports the chapter's checker
   module (and every ``dlcourse`` module) fresh, under the grader's control, runs the
   checker and the exercise's hidden test (:mod:`dlcourse.instructor.hidden`) on the
   student's names, and reports each result on a line that starts with a random token
   drawn for this run.
3. It runs that notebook in a throw-away folder, through :mod:`._worker`, inside a
   bubblewrap sandbox when the machine has ``bwrap``: read-only system, the course
   repository, the submissions and the output hidden, no network, a minimal
   environment. The notebook reaches the worker on stdin and the outputs come back on
   a file descriptor the kernel does not inherit.
4. Points: each exercise's points (:attr:`.chapter.Exercise.points`) times the share of
   its tests passed; pen-and-paper answers are listed *to grade by hand* with the text.

What student code in the kernel can still do is said in the instructor guide
("What the gradebook trusts").
"""

from __future__ import annotations

import ast
import csv
import inspect
import json
import multiprocessing
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from .._validate import positive_float, positive_int
from ._worker import DEFAULT_CELL_TIMEOUT_S, DEFAULT_MEMORY_GB, DEFAULT_NOTEBOOK_TIMEOUT_S
from .assign import book_notebooks, student_notebook
from .chapter import CODE, META, PAPER, exercises_of, roles, statements
from .files import InputError, read_chapter, read_notebook
from .hidden import hidden_test
from .markers import TEXT_STUB, has_markers, solution_regions

__all__ = ["ExerciseResult", "SubmissionGrade", "sandbox_available", "answers_of",
           "grading_notebook", "grade_submission", "grade_course", "write_reports"]

PASS, PARTIAL, FAIL, MISSING, NOT_RUN, BY_HAND = (
    "pass", "partial", "fail", "missing", "not run", "to grade by hand")
_IMPORT = re.compile(r"^\s*from\s+dlcourse\.exercises\s+import\s+(\w+)\s+as\s+(\w+)\s*$", re.M)
#: Names an honest answer has no need of and a forging one does: flagged for review.
_SUSPICIOUS = re.compile(r"get_ipython|\bIn\[|\b_ih\b|sys\.modules|sys\.settrace|setprofile|"
                         r"\bgc\b|\bctypes\b|\bbuiltins\b|__import__|__builtins__|threading|"
                         r"os\.write|/proc/|events\.register|\bexit\(|os\._exit|dlcourse\.instructor")


@dataclass
class ExerciseResult:
    label: str
    kind: str
    status: str
    points: float
    max_points: float
    detail: str = ""  # what failed, or the student's written answer


@dataclass
class SubmissionGrade:
    student: str
    chapter: str
    notebook: str  # path relative to the submissions folder
    results: list[ExerciseResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # reasons to read the answers by hand
    seconds: float = 0.0
    isolation: str = ""

    @property
    def points(self) -> float:
        return sum(r.points for r in self.results)

    @property
    def max_points(self) -> float:
        return sum(r.max_points for r in self.results)


@lru_cache(maxsize=1)
def sandbox_available() -> bool:
    """Whether bubblewrap runs here (``apt-get install bubblewrap`` on Debian/Ubuntu)."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    probe = subprocess.run([bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                            "--unshare-all", "--die-with-parent", "true"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


# ------------------------------------------------------------------ the answers


def _nonempty(lines: list[str], start: int) -> list[int]:
    return [k for k in range(start, len(lines)) if lines[k].strip()]


def _find_block(lines: list[str], start: int, block: list[str], last: bool) -> tuple[int, int] | None:
    """``(first, after)`` line numbers of ``block`` (compared stripped, blank lines skipped)."""
    want = [b.strip() for b in block if b.strip()]
    if not want:
        return (start, start) if not last else (len(lines), len(lines))
    positions = _nonempty(lines, start)
    hits = [i for i in range(len(positions) - len(want) + 1)
            if [lines[positions[i + k]].strip() for k in range(len(want))] == want]
    if not hits:
        return None
    i = hits[-1] if last else hits[0]
    return positions[i], positions[i + len(want) - 1] + 1


def _extract(template: str, submitted: str) -> list[str]:
    """The student's text in place of each answer region of the chapter cell ``template``."""
    lines = template.split("\n")
    regions = solution_regions(template)
    fixed, previous = [], 0
    for r in regions:
        fixed.append(lines[previous : r.begin])
        previous = r.end + 1
    fixed.append(lines[previous:])
    got = submitted.split("\n")
    answers, pos = [], 0
    for k in range(len(regions)):
        found = _find_block(got, pos, fixed[k], last=False)
        if found:
            pos = found[1]
        nxt = _find_block(got, pos, fixed[k + 1], last=k + 1 == len(regions))
        end = nxt[0] if nxt else len(got)
        answers.append("\n".join(got[pos:end]).strip("\n"))
        pos = end
    return answers


def _by_text(template: str, cells: list):
    """The first of ``cells`` whose text holds the code of chapter cell ``template``
    outside its answer regions (each non-blank block, in order), or None when that code
    is blank (nothing identifies the cell)."""
    lines = template.split("\n")
    regions = solution_regions(template)
    fixed = [lines[: regions[0].begin], lines[regions[-1].end + 1 :]]
    if not any(l.strip() for block in fixed for l in block):
        return None
    for cell in cells:
        got = cell.source.split("\n")
        first = _find_block(got, 0, fixed[0], last=False)
        if first and _find_block(got, first[1], fixed[1], last=True):
            return cell
    return None


def answers_of(submission, chapter_nb) -> tuple[dict[int, list[str]], dict[str, str]]:
    """The student's answers: ``({chapter cell index: [text per region]}, {label: written text})``.

    A code answer cell is found by its cell id (a student copy keeps the chapter's), else
    by ``metadata["dlcourse"]["exercise"]`` (the k-th cell of that label), else, for a
    copy whose ids and metadata were lost (a tool that rewrites them), by its text: the
    first unclaimed code cell holding the chapter cell's code before and after its
    answer regions (the import and the checker call). A cell not found is absent.
    """
    by_id = {c.get("id"): c for c in submission.cells if c.cell_type == "code" and c.get("id")}
    by_label: dict[str, list] = {}
    for c in submission.cells:
        tag = c.get("metadata", {}).get(META, {})
        if isinstance(tag, dict) and tag.get("exercise"):
            by_label.setdefault((c.cell_type, str(tag["exercise"])), []).append(c)
    code: dict[int, list[str]] = {}
    seen: dict[str, int] = {}
    used: set[int] = set()  # id() of the submission cells already taken
    for index, ((role, label), cell) in enumerate(zip(roles(chapter_nb), chapter_nb.cells)):
        if role != "inside" or cell.cell_type != "code" or not has_markers(cell.source):
            continue
        k = seen[label] = seen.get(label, -1) + 1
        student = by_id.get(cell.get("id"))
        if student is None:
            candidates = by_label.get(("code", label), [])
            student = candidates[k] if k < len(candidates) else None
        if student is None:
            student = _by_text(cell.source, [c for c in submission.cells if c.cell_type == "code"
                                             and id(c) not in used])
        if student is not None:
            used.add(id(student))
            code[index] = _extract(cell.source, student.source)
    written = {}
    for (cell_type, label), cells in by_label.items():
        if cell_type == "markdown":
            text = "\n\n".join(c.source for c in cells).strip()
            written[label] = "" if text == "\n".join(TEXT_STUB) else text
    papers = {e.label for e in exercises_of(chapter_nb, "chapter") if e.kind == PAPER}
    for label, text in _written_by_position(submission, chapter_nb, papers - set(written)).items():
        written[label] = text
    return code, written


def _written_by_position(submission, chapter_nb, labels: set[str]) -> dict[str, str]:
    """Pen-and-paper answers of a copy whose metadata was lost: after the statement cell
    of each of ``labels``, the markdown cells that follow it, one per pen-and-paper
    statement of that cell, in order; a cell that is the chapter's own text or still the
    stub is no answer."""
    chapter_text = {c.source.strip() for c in chapter_nb.cells if c.cell_type == "markdown"}
    stub = "\n".join(TEXT_STUB)
    found_statements = statements(submission)
    starts = {index for index, _, _ in found_statements}
    holders: dict[int, list[str]] = {}
    for index, label, _ in found_statements:
        if label in labels:
            holders.setdefault(index, []).append(label)
    found = {}
    for index, held in holders.items():
        nxt = index + 1
        for label in held:
            cell = submission.cells[nxt] if nxt < len(submission.cells) else None
            if cell is None or cell.cell_type != "markdown" or nxt in starts:
                break
            text = cell.source.strip()
            if text and text != stub and text not in chapter_text:
                found[label] = text
            nxt += 1
    return found


# ----------------------------------------------------------- the grading notebook


def _split_call(source: str) -> tuple[str, ast.Call | None, str]:
    """``(cell without its final checker call, the call node, the call's text)``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, None, ""
    last = tree.body[-1] if tree.body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return source, None, ""
    lines = source.split("\n")
    return "\n".join(lines[: last.lineno - 1]).rstrip("\n"), last.value, ast.unparse(last.value)


def _grader_cell(label: str, call: ast.Call | None, call_text: str, aliases: dict[str, str],
                 module: str | None, token: str) -> str:
    tests = []
    imports = ""
    if call is not None:
        func = call.func
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id in aliases):
            imports = f"checks = importlib.import_module('dlcourse.exercises.{aliases[func.value.id]}')"
            call = ast.Call(ast.Attribute(ast.Name("checks"), func.attr), call.args, call.keywords)
            call_text = ast.unparse(call)
        tests.append(f"('self-check', lambda: {call_text})")
    hidden = hidden_test(module, label) if module else None
    hidden_def = ""
    if hidden is not None:
        hidden_def = textwrap.indent(textwrap.dedent(inspect.getsource(hidden)), "        ")
        params = ", ".join(inspect.signature(hidden).parameters)
        tests.append(f"('hidden', lambda: {hidden.__name__}({params}))")
    return f'''\
def _dlcourse_grade():
    import importlib, json, sys
    saved = {{k: sys.modules.pop(k) for k in list(sys.modules)
             if k == "dlcourse" or k.startswith("dlcourse.")}}
    results = []
    try:
        {imports or "pass"}
{hidden_def}
        for name, run in [{", ".join(tests)}]:
            try:
                run()
                results.append([name, True, ""])
            except BaseException as err:
                first = (str(err).strip().splitlines() or [""])[0]
                results.append([name, False, (type(err).__name__ + ": " + first)[:200]])
    finally:
        sys.modules.update(saved)
    print({token!r}, json.dumps({{"label": {label!r}, "results": results}}))
_dlcourse_grade()
del _dlcourse_grade'''


def grading_notebook(chapter_nb, code_answers: dict[int, list[str]], token: str):
    """The notebook the grader runs: the chapter's student copy, the answers, its own checks.

    Returns ``(notebook, {grader cell index: label})``.
    """
    text = "\n".join(c.source for c in chapter_nb.cells if c.cell_type == "code")
    aliases = {alias: mod for mod, alias in _IMPORT.findall(text)}
    module = next(iter(aliases.values()), None)
    base = student_notebook(chapter_nb)
    chapter_by_id = {c.get("id"): (i, c) for i, c in enumerate(chapter_nb.cells)}
    last_cell: dict[str, int] = {}
    for k, cell in enumerate(base.cells):
        label = cell.get("metadata", {}).get(META, {}).get("exercise")
        if cell.cell_type == "code" and label:
            last_cell[label] = k
    cells, graders = [], {}
    for k, cell in enumerate(base.cells):
        label = cell.get("metadata", {}).get(META, {}).get("exercise")
        index, original = chapter_by_id.get(cell.get("id"), (None, None))
        call, call_text = None, ""
        if cell.cell_type == "code" and label and original is not None \
                and has_markers(original.source):
            answers = code_answers.get(index)
            lines = original.source.split("\n")
            out, previous = [], 0
            for n, r in enumerate(solution_regions(original.source)):
                out.extend(lines[previous : r.begin])
                if answers is None or n >= len(answers):
                    out.extend(r.indent + s for s in ("# YOUR CODE HERE", "raise NotImplementedError"))
                else:
                    out.append(answers[n])
                previous = r.end + 1
            out.extend(lines[previous:])
            cell.source, call, call_text = _split_call("\n".join(out))
        cells.append(cell)
        if label and last_cell.get(label) == k:
            if call is None:  # the call sits in the original's last cell
                _, call, call_text = _split_call(original.source if original is not None else "")
            graders[len(cells)] = label
            cells.append(nbformat.v4.new_code_cell(
                _grader_cell(label, call, call_text, aliases, module, token)))
    base.cells = cells
    return base, graders


# ----------------------------------------------------------------------- running


def _python() -> Path:
    """The environment's Python, by a path that holds no symbolic link to a hidden folder."""
    return Path(sys.prefix).resolve() / "bin" / Path(sys.executable).name


def _environment(work: Path) -> dict[str, str]:
    root = Path(__file__).resolve().parents[2]
    return {
        "PATH": f"{_python().parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(work), "PYTHONPATH": str(root), "LANG": "C.UTF-8",
        "JUPYTER_RUNTIME_DIR": str(work / ".runtime"), "IPYTHONDIR": str(work / ".ipython"),
        "MPLCONFIGDIR": str(work / ".matplotlib"), "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def _sandbox_command(work: Path, hide: list[Path]) -> list[str]:
    """bubblewrap: read-only system, ``hide`` emptied, the package and Python shown again."""
    package = Path(__file__).resolve().parents[1]
    prefix = Path(sys.prefix).resolve()
    keep = [prefix, package, Path(sys.base_prefix).resolve(),
            Path(sys.executable).resolve().parent]
    hidden = {p.resolve() for p in hide if p.exists()}
    if (prefix.parent / "book").is_dir():  # a virtual environment inside a course repository
        hidden.add(prefix.parent)
    cmd = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
           "--tmpfs", "/tmp", "--unshare-all", "--die-with-parent", "--new-session"]
    for path in sorted(hidden, key=lambda p: len(p.parts)):
        if not any(h in path.parents for h in hidden):  # inside a hidden folder already
            cmd += ["--tmpfs", str(path)]
    for path in sorted(set(keep), key=lambda p: len(p.parts)):
        if any(h == path or h in path.parents for h in hidden):
            cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--bind", str(work), str(work), "--chdir", str(work), "--clearenv"]
    for key, value in _environment(work).items():
        cmd += ["--setenv", key, value]
    return cmd


def _run(nb, *, timeout: float, notebook_timeout: float, sandbox: bool,
         hide: list[Path], memory_gb: float = DEFAULT_MEMORY_GB) -> dict:
    work = Path(tempfile.mkdtemp(prefix="dlcourse-grade-"))
    try:
        read, write = os.pipe()
        worker = [str(_python()), "-m", "dlcourse.instructor._worker", str(timeout),
                  str(notebook_timeout), str(write), str(int(memory_gb * 2**30))]
        cmd = (_sandbox_command(work, hide) + worker) if sandbox else worker
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, pass_fds=(write,), cwd=work,
                                env=None if sandbox else _environment(work))
        os.close(write)
        try:
            proc.stdin.write(nbformat.writes(nb).encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
        with os.fdopen(read, "r", encoding="utf-8") as channel:
            try:
                proc.wait(timeout=notebook_timeout + 120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                return {"outputs": [], "executed": [], "stopped": "TimeLimit: the grader was stopped"}
            text = channel.read()
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return {"outputs": [], "executed": [],
                    "stopped": f"the grader's worker ended without a report (exit {proc.returncode})"}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _results_line(outputs: list, token: str) -> dict | None:
    """The grader's report in its own cell's stdout: the line that starts with the token."""
    text = "".join(out.get("text", "") for out in outputs
                   if out.get("output_type") == "stream" and out.get("name") == "stdout")
    for line in text.splitlines():
        if line.startswith(token + " "):
            try:
                return json.loads(line[len(token) + 1 :])
            except json.JSONDecodeError:
                return None
    return None


def grade_submission(path: str | Path, chapter_path: str | Path, *, student: str = "",
                     name: str | None = None, timeout: float = DEFAULT_CELL_TIMEOUT_S,
                     notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT_S, sandbox: bool | None = None,
                     hide: list[Path] = (),
                     memory_gb: float = DEFAULT_MEMORY_GB) -> SubmissionGrade:
    """Grade one submission against its chapter. Never raises for a bad submission.

    ``memory_gb`` caps the address space of the kernel that runs it."""
    timeout = positive_float(timeout, "timeout", "grade_submission")
    notebook_timeout = positive_float(notebook_timeout, "notebook_timeout", "grade_submission")
    memory_gb = positive_float(memory_gb, "memory_gb", "grade_submission")
    path, chapter_path = Path(path), Path(chapter_path)
    t0 = time.perf_counter()
    sandbox = sandbox_available() if sandbox is None else sandbox
    chapter_nb = read_chapter(chapter_path)
    exercises = exercises_of(chapter_nb, chapter_path.stem)
    grade = SubmissionGrade(student, chapter_path.stem, name or path.name,
                            isolation="bubblewrap sandbox" if sandbox else "NONE")
    try:
        submission = read_notebook(path)
        code, written = answers_of(submission, chapter_nb)
    except InputError as err:
        grade.errors.append(str(err).replace(str(path), grade.notebook))
        code, written = {}, {}
        submission = None
    flagged = sorted({m.group(0) for texts in code.values() for t in texts
                      for m in _SUSPICIOUS.finditer(t)})
    if flagged:
        grade.review.append("answers use " + ", ".join(flagged))
    found_labels = {lbl for i, lbl in enumerate(r[1] for r in roles(chapter_nb)) if i in code}
    token = secrets.token_hex(16)
    report = {"outputs": [], "executed": [], "stopped": None}
    graders = {}
    if submission is not None and any(e.kind == CODE for e in exercises):
        nb, graders = grading_notebook(chapter_nb, code, token)
        report = _run(nb, timeout=timeout, notebook_timeout=notebook_timeout,
                      sandbox=sandbox, memory_gb=memory_gb, hide=list(hide) + [path.parent, chapter_path.parent])
    results_by_label = {}
    for index, label in graders.items():
        outputs = report["outputs"][index] if index < len(report["outputs"]) else []
        results_by_label[label] = (index in report["executed"], _results_line(outputs, token))
    for ex in exercises:
        if ex.kind == PAPER:
            text = written.get(ex.label, "")
            grade.results.append(ExerciseResult(ex.label, PAPER, BY_HAND if text else MISSING,
                                                0.0, float(ex.points), text))
            continue
        ran, line = results_by_label.get(ex.label, (False, None))
        if ex.label not in found_labels:
            status, points, detail = MISSING, 0.0, "no answer cell found"
        elif not ran or line is None or line.get("label") != ex.label:
            status, points, detail = NOT_RUN, 0.0, "the grader's checks did not report"
        else:
            tests = line.get("results") or []
            passed = sum(bool(t[1]) for t in tests)
            points = round(ex.points * passed / len(tests), 2) if tests else 0.0
            status = PASS if tests and passed == len(tests) else PARTIAL if passed else FAIL
            detail = " ; ".join(f"{t[0]}: {t[2]}" for t in tests if not t[1])
        grade.results.append(ExerciseResult(ex.label, CODE, status, points, float(ex.points), detail))
    if report.get("stopped"):
        grade.errors.append(f"stopped: {report['stopped']}")
    grade.seconds = time.perf_counter() - t0
    return grade


def _chapters(book: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for p in book_notebooks(book):
        if p.stem in found:
            raise InputError(f"{book}: two chapters are named {p.name}; rename one")
        found[p.stem] = p
    return found


def grade_course(folder: str | Path, book: str | Path = "book", *, jobs: int = 1,
                 timeout: float = DEFAULT_CELL_TIMEOUT_S,
                 notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT_S,
                 sandbox: bool | None = None,
                 memory_gb: float = DEFAULT_MEMORY_GB) -> list[SubmissionGrade]:
    """Grade ``folder/<student>/<chapter>.ipynb`` against ``book``'s chapters, ``jobs`` at a time."""
    folder, book = Path(folder), Path(book)
    if not folder.is_dir():
        raise InputError(f"{folder}: expected a folder of submissions; no such folder")
    if not book.is_dir():
        raise InputError(f"{book}: expected the book's folder of chapters; no such folder")
    jobs = positive_int(jobs, "jobs", "grade_course")
    chapters = _chapters(book)
    sandbox = sandbox_available() if sandbox is None else sandbox
    hide = [folder, book.resolve().parent, Path.home()]
    jobs_list, grades = [], []
    for path in sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts):
        rel = path.relative_to(folder)
        student = rel.parts[0] if len(rel.parts) > 1 else ""
        if not student:
            grades.append(SubmissionGrade("", path.stem, rel.as_posix(), errors=[
                f"{rel}: put each student's notebooks in a folder named by the student id"]))
        elif path.stem not in chapters:
            grades.append(SubmissionGrade(student, path.stem, rel.as_posix(), errors=[
                f"{rel}: not a chapter of {book} (expected one of its notebook names)"]))
        else:
            jobs_list.append((path, chapters[path.stem], student, rel.as_posix()))
    memory_gb = positive_float(memory_gb, "memory_gb", "grade_course")
    kwargs = dict(timeout=timeout, notebook_timeout=notebook_timeout, sandbox=sandbox, hide=hide,
                  memory_gb=memory_gb)
    if jobs == 1 or len(jobs_list) < 2:
        grades += [grade_submission(p, c, student=s, name=n, **kwargs) for p, c, s, n in jobs_list]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(grade_submission, p, c, student=s, name=n, **kwargs)
                       for p, c, s, n in jobs_list]
            grades += [f.result() for f in futures]
    return sorted(grades, key=lambda g: (g.student, g.chapter))


def write_reports(grades: list[SubmissionGrade], path: str | Path) -> tuple[Path, Path]:
    """Write the per-student totals to ``path`` and one row per exercise beside it.

    ``path`` (e.g. ``gradebook.csv``): ``student``, one column of points per chapter,
    ``points``, ``max_points``. ``<stem>-exercises.csv``: ``student, chapter, exercise,
    kind, status, points, max_points, seconds, isolation, detail`` (the detail of a
    pen-and-paper exercise is the student's written answer, to grade by hand).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chapters = sorted({g.chapter for g in grades})
    students = sorted({g.student for g in grades})
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *chapters, "points", "max_points"])
        for s in students:
            mine = {g.chapter: g for g in grades if g.student == s}
            writer.writerow([s, *(f"{mine[c].points:g}/{mine[c].max_points:g}" if c in mine else ""
                                  for c in chapters),
                             f"{sum(g.points for g in mine.values()):g}",
                             f"{sum(g.max_points for g in mine.values()):g}"])
    detail = path.with_name(path.stem + "-exercises.csv")
    with open(detail, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "chapter", "exercise", "kind", "status", "points",
                         "max_points", "seconds", "isolation", "detail"])
        for g in grades:
            for r in g.results:
                writer.writerow([g.student, g.chapter, r.label, r.kind, r.status, f"{r.points:g}",
                                 f"{r.max_points:g}", f"{g.seconds:.1f}", g.isolation, r.detail])
            for problem in g.errors + [f"review by hand: {why}" for why in g.review]:
                writer.writerow([g.student, g.chapter, "", "", "error" if problem in g.errors
                                 else "review", "", "", f"{g.seconds:.1f}", g.isolation, problem])
    return path, detail
