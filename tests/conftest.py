"""pytest configuration of the unit tests.

The notebook checks (stderr, offline, run records, determinism) are in
``tests/nbplugin.py``, loaded by the root ``conftest.py`` so that they reach ``book/``.
"""

from __future__ import annotations

import pytest


def pytest_make_parametrize_id(config, val, argname):
    """Stable ids for bare ``object()`` sentinels (their repr holds a memory address,
    and pytest-xdist refuses to run when workers collect different ids)."""
    if type(val) is object:
        return "object"
    return None


@pytest.fixture(autouse=True)
def _hint_log_in_tmp(tmp_path, monkeypatch):
    """Checkers record the hints they show (dlcourse.exercises.hintlog): keep that
    record out of the working tree while testing."""
    monkeypatch.setenv("DLCOURSE_HINTS", str(tmp_path / "dlcourse-hints.json"))


# ------------------------------------------------------------ one build of the book

BOOK_BUILD_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The book built once per test run (``-W -n --keep-going``, execution **off**).

    Shared by every test that reads the HTML (``test_book_build``, ``test_book_pages``),
    across pytest-xdist workers too: the first worker builds under a file lock, the
    others wait and read its result. Returns ``(returncode, log, html_dir)``.
    """
    import fcntl
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    repo = Path(__file__).resolve().parents[1]
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent                      # shared by all workers of this run
    out, done = root / "book-build", root / "book-build.json"
    with open(root / "book-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            out.mkdir(parents=True, exist_ok=True)
            config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
            config.setdefault("execute", {})["execute_notebooks"] = "off"
            config["bibtex_bibfiles"] = [str((repo / f).resolve())
                                         for f in config.get("bibtex_bibfiles", [])]
            if config.get("logo"):
                config["logo"] = str((repo / config["logo"]).resolve())
            cfg = out / "_config.yml"
            cfg.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
            jb = Path(sys.executable).with_name("jupyter-book")
            proc = subprocess.run(
                [str(jb), "build", "-W", "-n", "--keep-going", "--config", str(cfg),
                 "--path-output", str(out), "."],
                cwd=repo, capture_output=True, text=True, timeout=BOOK_BUILD_TIMEOUT_S,
                env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NO_COLOR": "1"},
                check=False,
            )
            done.write_text(json.dumps({"returncode": proc.returncode,
                                        "log": proc.stdout + proc.stderr}))
    result = json.loads(done.read_text())
    return result["returncode"], result["log"], out / "_build" / "html"
