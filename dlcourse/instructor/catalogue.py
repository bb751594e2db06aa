"""The list of every exercise of the book, and the instructor guide's generated tables."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml

from .chapter import Exercise, exercises_of
from .files import read_notebook

__all__ = ["toc_pages", "list_exercises", "exercise_table", "syllabus_table", "update_page"]


# ------------------------------------------------------------- the list of exercises


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
        return read_notebook(path)
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        path.read_text(encoding="utf-8"))])


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
        out.extend(exercises_of(_page_cells(path), entry))
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
        exercises = exercises_of(_page_cells(path), entry)
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
