"""Hand out exercises: student copies of chapters and the student edition of the book.

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
  (``cell.metadata["dlcourse"]["exercise"]``), where :mod:`dlcourse.instructor.grading` reads it;
- all outputs are cleared (an output can show an answer).

:func:`student_book` writes the sources of the student edition of the book (the same
transformation, with the stub cells tagged ``skip-execution``).
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import nbformat

from .chapter import META, PAPER, SKIP_TAG, exercises_of, gate_outside, roles, statements
from .files import InputError, read_chapter
from .markers import TEXT_STUB, solution_regions, strip_solutions
from .myst import directives, option_lines, remove_directives

__all__ = ["student_notebook", "solution_lines", "assign", "student_book", "EDITION_MARKER"]

#: Marker file in a folder written by :func:`student_book` (it may then be replaced).
EDITION_MARKER = ".dlcourse-student-edition"


def student_notebook(nb, *, source: str = "", for_book: bool = False,
                     answer_cells: bool = False):
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
    answer_cells : bool
        Put a markdown answer cell (``YOUR ANSWER HERE``) under each pen-and-paper
        exercise, for the student to write in and the teacher to grade by hand
        (``python -m dlcourse assign`` does; the student edition of the book does not).
        Its metadata is ``{"dlcourse": {"exercise": label, "kind": "pen-and-paper"}}``,
        and the notebook's ``metadata["dlcourse"]["pen_and_paper"]`` lists the labels.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; cell ids and metadata of the kept cells are unchanged.
    """
    nb = copy.deepcopy(nb)
    cells = []
    labels: list[str] = []
    paper = {ex.label for ex in exercises_of(nb, source) if ex.kind == PAPER}
    answers_after: dict[int, list[str]] = {}
    for index, label, _ in statements(nb):
        if answer_cells and label in paper:
            answers_after.setdefault(index, []).append(label)
    for index, ((role, label), cell) in enumerate(zip(roles(nb), nb.cells)):
        cells.extend(nbformat.v4.new_markdown_cell("\n".join(TEXT_STUB), metadata={
            META: {"exercise": written, "kind": PAPER}})
            for written in answers_after.get(index - 1, []))
        if role == "inside" and cell.cell_type != "code":
            continue
        if role == "gate":
            lines = cell.source.split("\n")
            cell.source = "\n".join(l for l, out in zip(lines, gate_outside(cell)) if out)
        if cell.cell_type == "markdown":
            try:
                text = strip_solutions(cell.source, TEXT_STUB)
            except ValueError as err:
                raise ValueError(f"student_notebook: {source} cell {index}: {err}") from None
            text = remove_directives(text, {"solution"})
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
    cells.extend(nbformat.v4.new_markdown_cell("\n".join(TEXT_STUB), metadata={
        META: {"exercise": written, "kind": PAPER}})
        for written in answers_after.get(len(nb.cells) - 1, []))
    nb.cells = cells
    nb.metadata[META] = {"edition": "student", "source": source, "exercises": labels}
    if answer_cells:
        nb.metadata[META]["pen_and_paper"] = [l for ls in answers_after.values() for l in ls]
    return nb


#: A line that is only a code fence, with or without its language: markup, not content.
_FENCE_ONLY = re.compile(r"^(`{3,}|~{3,})[\w+-]*$")


def solution_lines(nb) -> tuple[set[str], set[str]]:
    """The text a student must not see, and the text they may: ``(solution, public)``.

    Both are sets of stripped, non-empty lines of the instructor's notebook.
    *solution* holds the lines between markers, the bodies of ``{solution}``
    directives and the markdown inside gated solutions; *public* holds every other
    line. A line in ``solution - public`` that shows up in a student copy is a leak.
    """
    solution: set[str] = set()
    public: set[str] = set()
    for (role, _), cell in zip(roles(nb), nb.cells):
        lines = cell.source.split("\n")
        hidden = [False] * len(lines)
        if role == "gate":
            hidden = [not out for out in gate_outside(cell)]
        elif role == "inside" and cell.cell_type == "markdown":
            hidden = [True] * len(lines)
        if cell.cell_type == "markdown":
            for d in directives(cell.source):
                if d.name == "solution":
                    skip = option_lines(d.body)
                    for k in range(d.start + 1 + skip, d.stop - 1):
                        hidden[k] = True
        try:
            regions = solution_regions(cell.source)
        except ValueError:  # unbalanced markers: all of the cell is secret
            regions, hidden = [], [True] * len(lines)
        for r in regions:
            hidden[r.begin + 1 : r.end] = [True] * (r.end - r.begin - 1)
        for line, secret in zip(lines, hidden):
            text = line.strip()
            if not text or _FENCE_ONLY.match(text):  # a bare fence (```python) tells nothing
                continue
            if secret and role != "gate":
                solution.add(text)
            elif not secret:
                public.add(text)
    return solution, public


# -------------------------------------------------------------------- writing copies


def _read(path: Path):
    return read_chapter(path)


def _write(nb, path: Path) -> Path:
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def book_notebooks(book: str | Path) -> list[Path]:
    """Every notebook below ``book`` (checkpoints and build outputs left out), sorted."""
    return sorted(p for p in Path(book).rglob("*.ipynb")
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
    paths = [Path(p) for p in notebooks] if notebooks else book_notebooks(book)
    if not paths:
        raise InputError(f"assign: no notebook to assign; {book} holds no .ipynb file")
    copies = []  # every chapter is read and transformed before anything is written
    for path in paths:
        if path.suffix != ".ipynb":
            raise InputError(f"assign: notebooks must be .ipynb files; received {str(path)!r}")
        try:
            rel = path.resolve().relative_to(book.resolve())
        except ValueError:
            rel = Path(path.name)
        try:
            nb = student_notebook(read_chapter(path), source=rel.as_posix(), answer_cells=True)
        except InputError:
            raise
        except ValueError as err:
            raise InputError(f"{path}: {err}") from None
        copies.append((nb, output / rel))
    return [_write(nb, out) for nb, out in copies]


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


