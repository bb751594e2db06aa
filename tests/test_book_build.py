"""The book builds with every Sphinx warning an error.

``jupyter-book build -W -n --keep-going`` (the flags of ``make book``) into a temporary
output folder, from a temporary copy of ``_config.yml`` with notebook execution
**off**: nbval already executes every notebook in ``make test``; this test is about
what the build checks on its own — broken cross-references (``-n``: nitpicky),
citations missing from ``references.bib``, duplicate or unknown labels, exercise and
solution directives, pages missing from or orphaned by ``_toc.yml``, bad MyST.

A failure lists the warnings the build printed (file:line: message).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_S = 900
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE)[:\s]", re.IGNORECASE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _jupyter_book() -> str:
    here = Path(sys.executable).with_name("jupyter-book")
    return str(here) if here.exists() else (shutil.which("jupyter-book") or "jupyter-book")


def _config_without_execution(tmp: Path) -> Path:
    """A copy of _config.yml that does not execute notebooks; paths made absolute."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config["bibtex_bibfiles"] = [
        str((REPO / f).resolve()) for f in config.get("bibtex_bibfiles", [])
    ]
    if config.get("logo"):
        config["logo"] = str((REPO / config["logo"]).resolve())
    path = tmp / "_config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("book-build")
    config = _config_without_execution(tmp)
    cmd = [_jupyter_book(), "build", "-W", "-n", "--keep-going",
           "--config", str(config), "--path-output", str(tmp / "out"), "."]
    proc = subprocess.run(
        cmd, cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NO_COLOR": "1"},
        check=False,
    )
    return proc, tmp / "out" / "_build" / "html"


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
