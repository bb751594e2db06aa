"""The lines every chapter's setup cell starts with: install dlcourse where it is missing.

A chapter opened from the book's Colab button runs in a hosted kernel that has NumPy,
TensorFlow and Keras but not this course's package. The first lines of every chapter's
setup cell (the first code cell, just below the title) install it there, pinned to the
published commit, and do nothing on a learner's own machine, where ``make lab`` or
``pip install -r requirements.txt`` installed it. One template, :data:`TEMPLATE`; every
chapter carries a copy (``tests/test_book_structure.py`` checks that each one matches).

``python -m dlcourse setup-cells --repository-url URL --commit SHA`` writes the pin into
every chapter when the book is published (commit the result, then the Colab buttons
install that commit). ``DLCOURSE_INSTALL=<pip source>`` in the environment overrides
the pin and runs the install outside Colab too: that is how the tests run a chapter the
way Colab would, in a fresh environment, from a wheel of the local checkout.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

__all__ = ["TEMPLATE", "install_lines", "pin_for", "read_pin", "write_setup_cells"]

#: ``{pin}`` is a pip requirement: ``dlcourse @ git+https://github.com/<o>/<r>@<commit>``.
TEMPLATE = '''\
# Colab: install the course package, pinned to the published commit (elsewhere: nothing).
import importlib.util, os, subprocess, sys
if importlib.util.find_spec("dlcourse") is None and (
        "google.colab" in sys.modules or "DLCOURSE_INSTALL" in os.environ):
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    os.environ.get("DLCOURSE_INSTALL", "{pin}")], check=True)
'''
_FIRST = TEMPLATE.splitlines()[0]
_PIN_LINE = re.compile(r'os\.environ\.get\("DLCOURSE_INSTALL", "(?P<pin>[^"]*)"\)')
#: An unpublished book has no pin: in Colab the install then stops with pip's own error.
UNPUBLISHED = ""


def install_lines(pin: str = UNPUBLISHED) -> str:
    """The install block, with ``pin`` as the pip requirement to install in Colab."""
    if '"' in pin or "\n" in pin:
        raise ValueError(f"install_lines: pin must be one line without quotes; received {pin!r}")
    return TEMPLATE.replace("{pin}", pin)


def pin_for(repository_url: str, commit: str) -> str:
    """The pip requirement of dlcourse at ``commit`` of the GitHub repository."""
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", repository_url.rstrip("/")):
        raise ValueError("--repository-url must be https://github.com/<owner>/<repo>; "
                         f"received {repository_url!r}")
    if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise ValueError(f"--commit must be a git commit hash; received {commit!r}")
    return f"dlcourse @ git+{repository_url.rstrip('/')}.git@{commit}"


def _setup_index(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            return i if "dlcourse.setup(" in cell.source else None
    return None


def read_pin(nb) -> str | None:
    """The pin of a chapter's setup cell, or None when it lacks the install block."""
    i = _setup_index(nb)
    if i is None:
        return None
    source = nb.cells[i].source
    match = _PIN_LINE.search(source)
    if not match or not source.startswith(install_lines(match["pin"])):
        return None
    return match["pin"]


def _strip_block(source: str) -> str:
    lines = source.splitlines()
    if lines and lines[0] == _FIRST:
        end = next((k for k, line in enumerate(lines) if _PIN_LINE.search(line)), -1)
        lines = lines[end + 1:]
    return "\n".join(lines).lstrip("\n")


def write_setup_cells(notebooks: list[Path], pin: str = UNPUBLISHED) -> list[Path]:
    """Give each chapter's setup cell the install block with ``pin``, and put the cell
    just below the title cell if it stood above it. Returns the notebooks changed."""
    block = install_lines(pin)
    changed = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        i = _setup_index(nb)
        if i is None:
            raise ValueError(f"{path}: no setup cell (a first code cell calling dlcourse.setup)")
        cell = nb.cells[i]
        new = block + "\n" + _strip_block(cell.source)
        title = next((k for k, c in enumerate(nb.cells) if c.cell_type == "markdown"
                      and re.search(r"^# ", c.source, re.M)), None)
        moved = title is not None and title > i
        if new == cell.source and not moved:
            continue
        cell.source = new
        if moved:
            nb.cells.insert(title, nb.cells.pop(i))
        nbformat.write(nb, path)
        changed.append(path)
    return changed
