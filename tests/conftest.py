"""Configuration of the unit tests (the notebook hooks are in the root conftest.py)."""

from __future__ import annotations


def pytest_make_parametrize_id(config, val, argname):
    """Stable ids for bare ``object()`` sentinels (their repr holds a memory address,
    and pytest-xdist refuses to run when workers collect different ids)."""
    if type(val) is object:
        return "object"
    return None
