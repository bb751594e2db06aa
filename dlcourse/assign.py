"""Hand out exercises: student notebooks, the student edition, the list of exercises.

The chapters are the instructor's edition: every exercise carries its solution. A code
answer sits between nbgrader's markers inside a *gated* solution (CONTRIBUTING.md,
"Exercises")::

    ```{solution-start} ex-activations-2          <- markdown cell
    ```
    from dlcourse.exercises import activations as ex   <- code cell
    ### BEGIN SOLUTION
    def leaky_relu(x, alpha=0.01):
        return np.where(x > 0, x, alpha * x)
    ### END SOLUTION
    ex.check_leaky_relu(leaky_relu)
    ```{solution-end}                              <- markdown cell
    ```

:func:`student_notebook` turns a chapter into the student's copy:

- the lines between the markers become the stub ``# YOUR CODE HERE`` /
  ``raise NotImplementedError`` (indented like the marker, as nbgrader does);
- everything else in the code cell stays, the checker call included;
- solution prose goes: ``{solution}`` directives, and the markdown cells of a gated
  solution, ``solution-start``/``solution-end`` included. A student notebook is read
  in Jupyter, where those directives show as raw text, and is never built into the
  book; the exercise's label moves into the code cell's metadata
  (``cell.metadata["dlcourse"]["exercise"]``), where :mod:`dlcourse.gradebook` reads it;
- all outputs are cleared (an output can show an answer).

:func:`student_book` writes the sources of the student edition of the book (the same
transformation, with the stub cells tagged ``skip-execution``), and
:func:`list_exercises` lists every exercise of the book for the instructor guide.
"""

from __future__ import annotations

import ast
import copy
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

__all__ = [
    "BEGIN_SOLUTION",
    "END_SOLUTION",
    "CODE_STUB",
    "Directive",
    "Exercise",
    "directives",
    "strip_solutions",
    "exercise_cells",
    "student_notebook",
    "solution_lines",
    "lint_notebook",
    "assign",
    "student_book",
    "toc_pages",
    "list_exercises",
    "exercise_table",
    "syllabus_table",
    "update_page",
]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
#: What replaces an answer in a code cell (nbgrader's stub).
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError")
#: What replaces an answer between markers in a markdown cell (nbgrader's stub).
TEXT_STUB = ("YOUR ANSWER HERE",)
#: Metadata key of dlcourse in notebooks and cells.
META = "dlcourse"
#: Cell tag that keeps a stub from running when the student edition is built.
SKIP_TAG = "skip-execution"
#: Estimated minutes of an exercise whose author gave none (see "Exercise metadata").
DEFAULT_MINUTES = {"pen-and-paper": 10, "code": 20}
#: Marker file in a folder written by :func:`student_book` (it may then be replaced).
EDITION_MARKER = ".dlcourse-student-edition"

_MINUTES_CLASS = re.compile(r"^minutes-(\d+)$")
_CHECK_CALL = re.compile(r"\b(check_\w+)\s*\(")


# ------------------------------------------------------------------ MyST directives


@dataclass(frozen=True)
class Directive:
    """A fenced MyST directive found in markdown: ```` ```{name} argument ````.

    ``start`` is the line of the opening fence, ``stop`` the line after the closing
    fence; ``body`` the lines between, options included.
    """

    name: str
    argument: str
    options: dict
    start: int
    stop: int
    body: tuple[str, ...]


_OPEN_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")


def _options(body: list[str]) -> dict:
    if body and body[0].strip() == "---":  # MyST's YAML block of options
        end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
        if end is None:
            return {}
        try:
            data = yaml.safe_load("\n".join(body[1:end])) or {}
        except yaml.YAMLError:
            return {}
        return {str(k): "" if v is None else str(v) for k, v in data.items()} \
            if isinstance(data, dict) else {}
    options = {}
    for line in body:
        match = _OPTION.match(line)
        if not match:
            break
        options[match["key"]] = match["value"]
    return options


def directives(text: str) -> list[Directive]:
    """The top-level fenced directives of a MyST markdown text, in order.

    Fenced code blocks (```` ```python ````) are skipped whole, so a directive shown
    as an example inside one is not taken for a real one. A fence that is never
    closed runs to the end of the text, as in MyST.
    """
    lines = text.splitlines()
    found = []
    i = 0
    while i < len(lines):
        match = _OPEN_FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence = match["fence"]
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        stop = min(j + 1, len(lines))
        name = _DIRECTIVE.match(match["info"].strip())
        if name:
            body = lines[i + 1 : j]
            found.append(Directive(name["name"], name["arg"], _options(body), i, stop,
                                   tuple(body)))
        i = stop
    return found


def _option_lines(body: tuple[str, ...]) -> int:
    """How many lines at the top of a directive body are options."""
    if body and body[0].strip() == "---":
        end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
        return 0 if end is None else end + 1
    n = 0
    while n < len(body) and _OPTION.match(body[n]):
        n += 1
    return n


def _remove_directives(text: str, names: set[str]) -> str:
    lines = text.splitlines()
    drop = set()
    for d in directives(text):
        if d.name in names:
            drop.update(range(d.start, d.stop))
    kept = [line for k, line in enumerate(lines) if k not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


# --------------------------------------------------------------- solution regions


def strip_solutions(source: str, stub: tuple[str, ...] = CODE_STUB) -> str:
    """Replace every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region by ``stub``.

    A marker is any line containing ``BEGIN SOLUTION`` (``END SOLUTION``), as in
    nbgrader; the stub takes the marker's indentation, so a region inside a function
    body leaves a valid function.

    Raises
    ------
    ValueError
        On a nested ``BEGIN``, an ``END`` without a ``BEGIN`` or a ``BEGIN`` never
        closed: the student would otherwise get part of the answer.
    """
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.split("\n"), start=1):
        if "BEGIN SOLUTION" in line:
            if inside:
                raise ValueError(
                    f"strip_solutions: line {number} opens a solution region inside "
                    f"another one; close the first with {END_SOLUTION!r}"
                )
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + s for s in stub)
        elif "END SOLUTION" in line:
            if not inside:
                raise ValueError(
                    f"strip_solutions: line {number} closes a solution region that "
                    f"was never opened with {BEGIN_SOLUTION!r}"
                )
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(
            f"strip_solutions: a solution region is opened but never closed with "
            f"{END_SOLUTION!r}"
        )
    return "\n".join(out)


def _has_markers(source: str) -> bool:
    return "BEGIN SOLUTION" in source


def _gate(cell) -> str | None:
    """``"start"``/``"end"`` for a gated solution's opening/closing markdown cell."""
    if cell.cell_type != "markdown":
        return None
    names = {d.name for d in directives(cell.source)}
    if "solution-start" in names:
        return "start"
    if "solution-end" in names:
        return "end"
    return None


def _gate_outside(cell) -> list[bool]:
    """Per line of a gate cell: whether it lies outside the gated solution.

    Text before a ``solution-start`` and after a ``solution-end`` belongs to the
    chapter (often the next exercise shares the closing cell); the rest is solution.
    """
    lines = cell.source.split("\n")
    outside = [False] * len(lines)
    for d in directives(cell.source):
        if d.name == "solution-start":
            outside[: d.start] = [True] * d.start
        elif d.name == "solution-end":
            outside[d.stop :] = [True] * (len(lines) - d.stop)
    return outside


def _roles(nb) -> list[tuple[str, str | None]]:
    """Per cell: ("gate", label), ("inside", label) or ("outside", None)."""
    roles = []
    label = None
    for cell in nb.cells:
        gate = _gate(cell)
        if gate == "start":
            start = next(d for d in directives(cell.source) if d.name == "solution-start")
            label = start.argument.strip() or None
            roles.append(("gate", label))
        elif gate == "end":
            roles.append(("gate", label))
            label = None
        elif label is not None:
            roles.append(("inside", label))
        else:
            roles.append(("outside", None))
    return roles


def exercise_cells(nb) -> dict[int, str]:
    """Map code-cell index -> exercise label, for the code cells of exercises.

    A cell belongs to an exercise when it lies in that exercise's gated solution
    (instructor's notebook) or carries ``metadata["dlcourse"]["exercise"]`` (student
    notebook written by :func:`student_notebook`).
    """
    out = {}
    for index, ((role, label), cell) in enumerate(zip(_roles(nb), nb.cells)):
        if cell.cell_type != "code":
            continue
        tagged = cell.get("metadata", {}).get(META, {}).get("exercise")
        if tagged:
            out[index] = str(tagged)
        elif role == "inside" and label:
            out[index] = label
    return out


def student_notebook(nb, *, source: str = "", for_book: bool = False):
    """The student's copy of a chapter: answers stubbed, solution prose removed.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The instructor's notebook (not modified).
    source : str
        Where it came from, recorded in the copy's metadata and used in errors.
    for_book : bool
        Tag every code cell of an exercise ``skip-execution``, so the student edition
        of the book shows the stubs without running them.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; cell ids and metadata of the kept cells are unchanged.
    """
    nb = copy.deepcopy(nb)
    cells = []
    labels: list[str] = []
    for index, ((role, label), cell) in enumerate(zip(_roles(nb), nb.cells)):
        if role == "inside" and cell.cell_type != "code":
            continue
        if role == "gate":
            lines = cell.source.split("\n")
            cell.source = "\n".join(l for l, out in zip(lines, _gate_outside(cell)) if out)
        if cell.cell_type == "markdown":
            try:
                text = strip_solutions(cell.source, TEXT_STUB)
            except ValueError as err:
                raise ValueError(f"student_notebook: {source} cell {index}: {err}") from None
            text = _remove_directives(text, {"solution"})
            if not text.strip():
                continue
            cell.source = text
        elif cell.cell_type == "code":
            try:
                cell.source = strip_solutions(cell.source)
            except ValueError as err:
                raise ValueError(f"student_notebook: {source} cell {index}: {err}") from None
            cell.outputs = []
            cell.execution_count = None
            if role == "inside":
                # the chapter folds its solution code in JupyterLab; a stub stays open
                cell.metadata.get("jupyter", {}).pop("source_hidden", None)
                if cell.metadata.get("jupyter") == {}:
                    del cell.metadata["jupyter"]
                cell.metadata.setdefault(META, {})["exercise"] = label
                if label not in labels:
                    labels.append(label)
                if for_book:
                    tags = cell.metadata.setdefault("tags", [])
                    if SKIP_TAG not in tags:
                        tags.append(SKIP_TAG)
        cells.append(cell)
    nb.cells = cells
    nb.metadata[META] = {"edition": "student", "source": source, "exercises": labels}
    return nb


def solution_lines(nb) -> tuple[set[str], set[str]]:
    """The text a student must not see, and the text they may: ``(solution, public)``.

    Both are sets of stripped, non-empty lines of the instructor's notebook.
    *solution* holds the lines between markers, the bodies of ``{solution}``
    directives and the markdown inside gated solutions; *public* holds every other
    line. A line in ``solution - public`` that shows up in a student copy is a leak.
    """
    solution: set[str] = set()
    public: set[str] = set()
    for (role, _), cell in zip(_roles(nb), nb.cells):
        lines = cell.source.split("\n")
        hidden = [False] * len(lines)
        if role == "gate":
            hidden = [not out for out in _gate_outside(cell)]
        elif role == "inside" and cell.cell_type == "markdown":
            hidden = [True] * len(lines)
        if cell.cell_type == "markdown":
            for d in directives(cell.source):
                if d.name == "solution":
                    skip = _option_lines(d.body)
                    for k in range(d.start + 1 + skip, d.stop - 1):
                        hidden[k] = True
        inside = False
        for k, line in enumerate(lines):
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside:
                hidden[k] = True
        for line, secret in zip(lines, hidden):
            text = line.strip()
            if not text:
                continue
            if secret and role != "gate":
                solution.add(text)
            elif not secret:
                public.add(text)
    return solution, public


def lint_notebook(nb, *, checkers: set[str] | None = None) -> list[str]:
    """Problems in a chapter's exercises that would break assigning or grading it.

    Checks that gated solutions open and close, name an exercise of the notebook and
    hold a code cell with markers (else the whole answer stays visible); that each
    code cell with markers ends with a ``check_*`` call (one of ``checkers`` when
    given); and that markers appear only in gated code cells, written exactly
    ``### BEGIN SOLUTION`` / ``### END SOLUTION``.
    Returns a list of messages, empty when all is well.
    """
    problems = []
    labels = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for d in directives(cell.source):
                if d.name in ("exercise", "exercise-start"):
                    label = d.options.get("label", "")
                    if not label:
                        problems.append(f"cell {index}: an exercise without a :label:")
                    elif label in labels:
                        problems.append(f"cell {index}: exercise label {label!r} is used twice")
                    labels.append(label)
    depth = 0
    for index, cell in enumerate(nb.cells):
        gate = _gate(cell)
        if gate == "start":
            if depth:
                problems.append(f"cell {index}: solution-start inside an open gated solution")
            depth += 1
        elif gate == "end":
            if not depth:
                problems.append(f"cell {index}: solution-end without a solution-start")
            depth = max(0, depth - 1)
    if depth:
        problems.append("a solution-start is never closed by a solution-end")

    roles = _roles(nb)
    blocks: dict[str, list[int]] = {}
    for index, ((role, label), cell) in enumerate(zip(roles, nb.cells)):
        if role == "gate" and _gate(cell) == "start":
            if label is None:
                problems.append(f"cell {index}: solution-start names no exercise")
            elif label not in labels:
                problems.append(f"cell {index}: solution-start names {label!r}, "
                                f"which is not an exercise label of this notebook")
            blocks.setdefault(label or "?", [])
        if role == "inside" and cell.cell_type == "code":
            blocks.setdefault(label, []).append(index)
        for number, line in enumerate(cell.source.split("\n"), start=1):
            if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                where = f"cell {index} line {number}"
                if role != "inside" or cell.cell_type != "code":
                    problems.append(f"{where}: a solution marker outside the code "
                                    f"cells of a gated solution")
                elif line.strip() not in (BEGIN_SOLUTION, END_SOLUTION):
                    problems.append(f"{where}: write the marker exactly as "
                                    f"{BEGIN_SOLUTION!r} or {END_SOLUTION!r}; got {line!r}")
        if cell.cell_type == "code" and _has_markers(cell.source):
            try:
                strip_solutions(cell.source)
            except ValueError as err:
                problems.append(f"cell {index}: {err}")
    for label, indices in blocks.items():
        if not indices:
            continue
        if not any(_has_markers(nb.cells[i].source) for i in indices):
            problems.append(f"{label}: no code cell of its solution has "
                            f"{BEGIN_SOLUTION!r} markers, so a student copy would show "
                            f"the whole answer")
        for i in indices:
            if not _has_markers(nb.cells[i].source):
                continue
            call = _final_check_call(nb.cells[i].source)
            if call is None:
                problems.append(f"{label}: cell {i} must end with a checker call "
                                f"`dlcourse.exercises.<chapter>.check_<name>(...)`")
            elif checkers is not None and call not in checkers:
                problems.append(f"{label}: calls {call}, which no dlcourse.exercises "
                                f"module defines")
    return problems


def _final_check_call(source: str) -> str | None:
    """The ``check_*`` function called by the cell's last statement, or None."""
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython magics: fall back on the last non-empty line
        lines = [line for line in source.split("\n") if line.strip()
                 and not line.lstrip().startswith("#")]
        match = _CHECK_CALL.search(lines[-1]) if lines else None
        return match[1] if match else None
    if not body or not isinstance(body[-1], ast.Expr) or not isinstance(body[-1].value, ast.Call):
        return None
    func = body[-1].value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name if name.startswith("check_") else None


# -------------------------------------------------------------------- writing copies


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _write(nb, path: Path) -> Path:
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _book_notebooks(book: Path) -> list[Path]:
    return sorted(p for p in book.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts)


def assign(notebooks: list[str | Path] | None, output: str | Path,
           book: str | Path = "book") -> list[Path]:
    """Write student copies of ``notebooks`` (default: every notebook in ``book``).

    A notebook inside ``book`` keeps its path below it (``book/core/x.ipynb`` ->
    ``output/core/x.ipynb``); one outside keeps only its name. Returns the paths
    written.
    """
    book = Path(book)
    output = Path(output)
    paths = [Path(p) for p in notebooks] if notebooks else _book_notebooks(book)
    if not paths:
        raise ValueError(f"assign: no notebook to assign; {book} holds no .ipynb file")
    written = []
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"assign: notebooks must be .ipynb files; received {str(path)!r}")
        try:
            rel = path.resolve().relative_to(book.resolve())
        except ValueError:
            rel = Path(path.name)
        nb = student_notebook(_read(path), source=rel.as_posix())
        written.append(_write(nb, output / rel))
    return written


def student_book(output: str | Path = "_build/student_src", root: str | Path = ".",
                 *, execute: str | None = None) -> Path:
    """Write the sources of the student edition of the book into ``output``.

    ``output`` receives a student ``_config.yml`` (:func:`dlcourse.bookconfig.student_config`),
    ``_toc.yml``, the bibliography, the logo, every file of ``book/`` with each
    notebook replaced by its student copy (stubs tagged ``skip-execution``), and a
    link to ``dlcourse/`` so ``literalinclude`` paths still resolve. Build it with
    ``jupyter-book build <output>``. Nothing in it holds a solution, the page
    sources the built book offers for download included.

    ``execute`` overrides ``execute.execute_notebooks`` (``"off"`` for a fast check).
    ``output`` must be empty, absent, or a folder written here before.
    """
    from . import bookconfig

    root = Path(root)
    output = Path(output)
    if output.exists():
        if not (output / EDITION_MARKER).exists() and any(output.iterdir()):
            raise ValueError(
                f"student_book: output must be a new or empty folder (or one written by "
                f"student_book); {str(output)!r} holds other files"
            )
        shutil.rmtree(output)
    output.mkdir(parents=True)
    (output / EDITION_MARKER).write_text("written by python -m dlcourse assign --for-book\n")

    config = bookconfig.load_config(root / "_config.yml")
    config = bookconfig.student_config(config, execute=execute)
    bookconfig.write_config(config, output / "_config.yml")
    shutil.copy2(root / "_toc.yml", output / "_toc.yml")
    extra = list(config.get("bibtex_bibfiles", []) or [])
    extra += [config.get("logo") or "", (config.get("html") or {}).get("favicon") or ""]
    for name in extra:
        if name and (root / name).is_file() and not Path(name).is_absolute():
            (output / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, output / name)
    if (root / "dlcourse").is_dir():
        (output / "dlcourse").symlink_to((root / "dlcourse").resolve(), target_is_directory=True)

    book = root / "book"
    for path in sorted(book.rglob("*")):
        if ".ipynb_checkpoints" in path.parts or "_build" in path.parts or path.is_dir():
            continue
        rel = path.relative_to(root)
        if path.suffix == ".ipynb":
            nb = student_notebook(_read(path), source=rel.as_posix(), for_book=True)
            _write(nb, output / rel)
        else:
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, output / rel)
    return output


# ------------------------------------------------------------- the list of exercises


@dataclass(frozen=True)
class Exercise:
    """One exercise of the book, as the instructor guide lists it."""

    label: str
    chapter: str  # the toc entry of its page, e.g. "book/core/activations"
    kind: str  # "code" or "pen-and-paper"
    checkers: tuple[str, ...]  # check_* functions its code calls
    minutes: int | None  # from :class: minutes-<n>; None when the author gave none

    @property
    def auto_checked(self) -> bool:
        return bool(self.checkers)

    @property
    def estimated_minutes(self) -> int:
        return self.minutes if self.minutes is not None else DEFAULT_MINUTES[self.kind]


def _toc_entries(node, part: str, out: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        part = node.get("caption", part)
        if "file" in node:
            out.append((part, str(node["file"])))
        for key in ("parts", "chapters", "sections"):
            _toc_entries(node.get(key) or [], part, out)
    elif isinstance(node, list):
        for child in node:
            _toc_entries(child, part, out)


def toc_pages(root: str | Path = ".") -> list[tuple[str, str, Path]]:
    """``(part caption, toc entry, file)`` for every page of ``_toc.yml`` that exists."""
    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    entries = [("", str(toc["root"]))] if "root" in toc else []
    _toc_entries(toc.get("parts") or toc.get("chapters") or [], "", entries)
    pages = []
    for part, entry in entries:
        for suffix in (".ipynb", ".md"):
            path = root / (entry + suffix)
            if path.is_file():
                pages.append((part, entry, path))
                break
    return pages


def _page_cells(path: Path):
    if path.suffix == ".ipynb":
        return _read(path)
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        path.read_text(encoding="utf-8"))])


def _exercises_of(nb, chapter: str) -> list[Exercise]:
    code: dict[str, list[int]] = {}
    for index, label in exercise_cells(nb).items():
        code.setdefault(label, []).append(index)
    roles = _roles(nb)
    found = []
    for (role, _), cell in zip(roles, nb.cells):
        if cell.cell_type != "markdown" or role != "outside":
            continue
        for d in directives(cell.source):
            if d.name not in ("exercise", "exercise-start") or "label" not in d.options:
                continue
            label = d.options["label"]
            classes = d.options.get("class", "").split()
            minutes = next((int(m[1]) for m in map(_MINUTES_CLASS.match, classes) if m), None)
            source = "\n".join(nb.cells[i].source for i in code.get(label, []))
            checkers = tuple(dict.fromkeys(_CHECK_CALL.findall(source)))
            kind = "code" if label in code else "pen-and-paper"
            found.append(Exercise(label, chapter, kind, checkers, minutes))
    return found


def list_exercises(root: str | Path = ".") -> list[Exercise]:
    """Every exercise of the book, in the order of ``_toc.yml``.

    Read from the pages themselves (notebooks and markdown): an exercise is a
    ``{exercise}`` (or ``{exercise-start}``) directive with a ``:label:``; it is a code
    exercise when a gated solution holds code cells for it, auto-checked when that
    code calls a ``check_*`` function; its time comes from a ``minutes-<n>`` class
    (CONTRIBUTING.md, "Exercise metadata").
    """
    out = []
    for _, entry, path in toc_pages(root):
        out.extend(_exercises_of(_page_cells(path), entry))
    return out


def _doc(entry: str) -> str:
    return f"{{doc}}`/{entry}`"


def exercise_table(exercises: list[Exercise]) -> str:
    """A MyST table of exercises: label, chapter, kind, auto-checked, minutes."""
    if not exercises:
        return "No chapter has exercises yet."
    rows = ["| Exercise | Chapter | Kind | Auto-checked | Minutes | Checker |",
            "| --- | --- | --- | --- | ---: | --- |"]
    for ex in exercises:
        minutes = str(ex.minutes) if ex.minutes is not None else f"~{ex.estimated_minutes}"
        checker = ", ".join(f"`{c}`" for c in ex.checkers) or "—"
        chapter = f"{{doc}}`{Path(ex.chapter).name} </{ex.chapter}>`"
        rows.append(f"| {{ref}}`{ex.label} <{ex.label}>` | {chapter} | {ex.kind} "
                    f"| {'yes' if ex.auto_checked else 'no'} | {minutes} | {checker} |")
    total = sum(ex.estimated_minutes for ex in exercises)
    n_auto = sum(ex.auto_checked for ex in exercises)
    rows.append("")
    rows.append(f"{len(exercises)} exercises, {n_auto} auto-checked, about "
                f"{total} minutes in all (`~` marks the default estimate of an exercise "
                f"whose author gave none).")
    return "\n".join(rows)


def syllabus_table(root: str | Path = ".", per_week: int = 2) -> str:
    """A week-by-week plan: one session per chapter, ``per_week`` sessions a week.

    Chapters are the toc's pages under ``book/<part>/``, in order; each row gives the
    chapter's exercises and their estimated time, to set as the session's lab or
    homework.
    """
    root = Path(root)
    chapters = [(part, entry, path) for part, entry, path in toc_pages(root)
                if len(Path(entry).parts) >= 3]
    if not chapters:
        return "No chapter is in the book yet."
    rows = ["| Week | Session | Part | Chapter | Exercises | Exercise time |",
            "| ---: | ---: | --- | --- | --- | ---: |"]
    for n, (part, entry, path) in enumerate(chapters, start=1):
        exercises = _exercises_of(_page_cells(path), entry)
        code = sum(ex.kind == "code" for ex in exercises)
        what = (f"{len(exercises)} ({code} code, {len(exercises) - code} pen-and-paper)"
                if exercises else "—")
        minutes = sum(ex.estimated_minutes for ex in exercises)
        rows.append(f"| {(n - 1) // per_week + 1} | {n} | {part} | {_doc(entry)} | {what} "
                    f"| {minutes} min |")
    return "\n".join(rows)


_GENERATED = re.compile(
    r"(?P<open>^% BEGIN GENERATED: (?P<name>[\w-]+).*?$\n)(?P<body>.*?)(?P<close>^% END GENERATED: (?P=name)\s*$)",
    re.MULTILINE | re.DOTALL,
)


def update_page(page: str | Path, root: str | Path = ".", *, write: bool = True) -> bool:
    """Regenerate the tables of the instructor guide; return whether they changed.

    The page marks each generated region with MyST comment lines
    ``% BEGIN GENERATED: <name>`` and ``% END GENERATED: <name>``; ``<name>`` is
    ``exercises`` (:func:`exercise_table`) or ``syllabus`` (:func:`syllabus_table`).
    With ``write=False`` the page is only compared, not rewritten.
    """
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    render = {
        "exercises": lambda: exercise_table(list_exercises(root)),
        "syllabus": lambda: syllabus_table(root),
    }

    def replace(match):
        name = match["name"]
        if name not in render:
            raise ValueError(f"update_page: unknown generated region {name!r} in {page}; "
                             f"expected one of {sorted(render)}")
        return f"{match['open']}\n{render[name]()}\n\n{match['close']}"

    new = _GENERATED.sub(replace, text)
    if new != text and write:
        page.write_text(new, encoding="utf-8")
    return new != text
