"""Hidden tests: one module per chapter, one function per code exercise.

A hidden test recomputes the answer in a way the chapter's self-check does not (other
inputs, another formula, an independent implementation written here), so an answer
tuned to pass the self-check, or a checker patched by the student, still fails it.

The function of exercise ``ex-<chapter>-<n>`` is ``ex_<chapter>_<n>``; its parameters
are the names the exercise asks the student to define, which the test receives from
the student's notebook. It raises ``AssertionError`` with a message that says what is
wrong but never the expected value. Each function is self-contained (it imports what
it needs inside its body): ``python -m dlcourse assign --nbgrader`` copies its source
between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` in the exercise's test
cell, and the built-in gradebook runs it after the self-check. Chapters never import
these modules.
"""

from __future__ import annotations

import importlib
import inspect
from types import FunctionType

__all__ = ["hidden_test", "test_name"]


def test_name(label: str) -> str:
    """``ex-background-2`` -> ``ex_background_2``."""
    return label.replace("-", "_")


def hidden_test(chapter: str, label: str) -> FunctionType | None:
    """The hidden test of exercise ``label`` of ``chapter`` (a module name), or None."""
    try:
        module = importlib.import_module(f"{__name__}.{chapter}")
    except ModuleNotFoundError:
        return None
    fn = getattr(module, test_name(label), None)
    return fn if inspect.isfunction(fn) else None
