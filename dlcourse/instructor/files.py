"""Reading the files a teacher names, with one clear line when one is wrong.

Every command reads notebooks through :func:`read_notebook` or :func:`read_chapter`;
a problem is an :class:`InputError` whose message names the file and says what was
expected and what was found. The command line prints it on one line and exits 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from .chapter import is_student_copy, statements

__all__ = ["InputError", "read_notebook", "read_chapter"]


class InputError(ValueError):
    """A file or argument the teacher gave is wrong; the message names it."""


def read_notebook(path: str | Path):
    """Read and validate a ``.ipynb`` file (nbformat 4)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: expected a .ipynb notebook; received a folder")
    if path.suffix != ".ipynb":
        raise InputError(f"{path}: expected a .ipynb notebook; received a "
                         f"{path.suffix or 'suffix-less'} file")
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not a notebook: invalid JSON at line {err.lineno} "
                         f"column {err.colno}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a notebook: the file is not UTF-8 text") from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - nbformat raises several kinds
        first = next((l for l in str(err).splitlines() if l.strip()), type(err).__name__)
        raise InputError(f"{path}: not a valid notebook: {first[:160]}") from None
    return nb


def read_chapter(path: str | Path):
    """Read a chapter of the book (the instructor's edition), refusing anything else."""
    nb = read_notebook(path)
    if is_student_copy(nb):
        raise InputError(f"{path}: expected a chapter of the book; received a student copy "
                         f"(written by `python -m dlcourse assign`)")
    if not statements(nb):
        raise InputError(f"{path}: expected a chapter of the book; received a notebook "
                         f"with no labelled {{exercise}} directive")
    return nb
