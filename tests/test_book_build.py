"""The book builds with every Sphinx warning an error.

``jupyter-book build -W -n --keep-going`` (the flags of ``make book``) into a temporary
output folder, from a temporary copy of ``_config.yml`` with notebook execution
**off**: nbval already executes every notebook in ``make test``; this test is about
what the build checks on its own — broken cross-references (``-n``: nitpicky),
citations missing from ``references.bib``, duplicate or unknown labels, exercise and
solution directives, pages missing from or orphaned by ``_toc.yml``, bad MyST.

A failure lists the warnings the build printed (file:line: message). The build
itself is ``built_book`` in ``conftest.py``, shared with ``test_book_pages.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE)[:\s]", re.IGNORECASE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def build(built_book):
    """The shared build of ``conftest.built_book`` (execution off, paths made absolute)."""
    returncode, log, html = built_book
    return subprocess.CompletedProcess(args=[], returncode=returncode, stdout=log, stderr=""), html


def test_book_builds_without_warnings(build):
    proc, _ = build
    log = _ANSI.sub("", proc.stdout + proc.stderr)
    warnings = [line for line in log.splitlines() if _WARNING.search(line)]
    assert proc.returncode == 0 and not warnings, (
        f"`jupyter-book build -W -n --keep-going` (execution off) exited with "
        f"{proc.returncode} and {len(warnings)} warning line(s):\n"
        + "\n".join(warnings[:60])
        + ("" if warnings else "\n--- build output (tail) ---\n" + log[-4000:])
    )


def test_every_toc_page_is_rendered(build):
    proc, html = build
    if proc.returncode != 0:
        pytest.skip("the build failed: see test_book_builds_without_warnings")
    sys.path.insert(0, str(Path(__file__).parent))
    import nbexec

    missing = [
        entry for entry in nbexec.toc_entries()
        if not (html / f"{Path(entry).with_suffix('')}.html").is_file()
    ]
    assert not missing, f"pages listed in _toc.yml but not in the HTML: {missing}"
