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
