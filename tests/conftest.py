"""Project-wide pytest configuration.

nbval (``--nbval-lax``) fails a notebook cell that raises; the book build also fails
a cell that writes to stderr (``stderr_output: warn`` with ``-W``). The hook below
gives nbval the same rule, so CI catches stray stderr (TensorFlow log lines, Python
warnings) before the book build does.
"""

from __future__ import annotations

import pytest


def _stderr_text(item) -> str:
    outputs = getattr(item, "test_outputs", None) or []
    return "".join(
        out.get("text", "")
        for out in outputs
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed or not hasattr(item, "test_outputs"):
        return
    text = _stderr_text(item)
    if text.strip():
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid}: the cell wrote to stderr, which fails the book build "
            f"(stderr_output: warn, -W). Silence the cause instead of hiding it:\n{text[:2000]}"
        )


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
