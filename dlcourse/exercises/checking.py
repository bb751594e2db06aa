"""What every exercise checker is built from.

A checker takes whatever the student produced. It passes with a short success
line, or raises :class:`ExerciseFailed` (an ``AssertionError``) that says what is
wrong and gives a hint. It never crashes on a wrong type or shape, and it never
prints the expected answer: expected values are recomputed from dlcourse or stored
as digests (:func:`digest`), not as readable numbers, where that is possible.

Write a checker as a plain function decorated with :func:`checker`::

    @checker(hint="Each neuron has one weight per input plus one bias.")
    def check_param_count(answer):
        n = as_int(answer, "answer")
        expect(n == 3 * 4 + 4, f"{n} is not the number of parameters of Dense(4) on 3 inputs")
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from typing import Callable

import numpy as np

__all__ = [
    "ExerciseFailed",
    "checker",
    "expect",
    "as_int",
    "as_float",
    "as_array",
    "require_function",
    "call_student",
    "digest",
    "matches_digest",
]


class ExerciseFailed(AssertionError):
    """A wrong answer: the message says what is wrong and how to proceed."""


_STUBS = (None, Ellipsis, NotImplemented)


def expect(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    __tracebackhide__ = True
    if not condition:
        raise ExerciseFailed(message)


def _reject_stub(answer, name: str) -> None:
    __tracebackhide__ = True
    if any(answer is s for s in _STUBS):
        raise ExerciseFailed(
            f"{name} is {answer!r}: replace the placeholder with your answer first."
        )


def as_int(answer, name: str = "answer") -> int:
    """The answer as an int, or a failure that says it is not one."""
    __tracebackhide__ = True
    _reject_stub(answer, name)
    if isinstance(answer, bool):
        raise ExerciseFailed(f"{name} should be a whole number, not a bool ({answer}).")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            f"{name} should be a whole number; received a {type(answer).__name__}."
        ) from None
    if not np.isfinite(value) or value != int(value):
        raise ExerciseFailed(f"{name} should be a whole number; received {answer!r}.")
    return int(value)


def as_float(answer, name: str = "answer") -> float:
    """The answer as a finite float, or a failure that says why not."""
    __tracebackhide__ = True
    _reject_stub(answer, name)
    if isinstance(answer, bool):
        raise ExerciseFailed(f"{name} should be a number, not a bool ({answer}).")
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            f"{name} should be a number; received a {type(answer).__name__}."
        ) from None
    if arr.size != 1:
        raise ExerciseFailed(f"{name} should be a single number; received shape {arr.shape}.")
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        raise ExerciseFailed(f"{name} is {value}: check for a division by zero or an overflow.")
    return value


def as_array(answer, name: str = "answer", *, shape: tuple | None = None) -> np.ndarray:
    """The answer as a finite float array of the given shape, or a failure."""
    __tracebackhide__ = True
    _reject_stub(answer, name)
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            f"{name} should be an array of numbers; received a {type(answer).__name__}."
        ) from None
    if shape is not None and arr.shape != tuple(shape):
        raise ExerciseFailed(
            f"{name} has shape {arr.shape}; expected shape {tuple(shape)}."
        )
    if not np.all(np.isfinite(arr)):
        raise ExerciseFailed(f"{name} contains NaN or infinity.")
    return arr


def require_function(fn, name: str) -> None:
    """Fail unless the answer is a function (not a placeholder, not its result)."""
    __tracebackhide__ = True
    _reject_stub(fn, name)
    expect(callable(fn), f"pass the function itself ({name}), not the result of calling it.")


def call_student(fn, *args, **kwargs):
    """Call the student's function quietly; an exception in it becomes a failure naming it.

    NumPy and Python warnings raised by the student's code are silenced: the checker
    judges the result, and a warning would only clutter the notebook's stderr.
    """
    __tracebackhide__ = True
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except NotImplementedError:
        raise ExerciseFailed(
            "your function still raises NotImplementedError: replace the "
            "`# YOUR CODE HERE` stub with your answer first."
        ) from None
    except Exception as err:  # noqa: BLE001 - report the student's error, do not crash
        first = str(err).splitlines()[0] if str(err) else ""
        raise ExerciseFailed(
            f"calling your function raised {type(err).__name__}"
            + (f": {first}" if first else "") + "."
        ) from None


def digest(value, decimals: int = 4) -> str:
    """SHA-256 of ``value`` rounded to ``decimals``: lets a checker hold an answer
    it can compare with but a student cannot read."""
    arr = np.round(np.asarray(value, dtype=float) + 0.0, decimals) + 0.0  # no -0.0
    text = ",".join(f"{v:.{decimals}f}" for v in arr.ravel())
    return hashlib.sha256(f"{arr.shape}|{text}".encode()).hexdigest()


def matches_digest(value, expected: str, decimals: int = 4) -> bool:
    """Whether ``value`` rounds to the answer whose :func:`digest` is ``expected``."""
    return digest(value, decimals) == expected


def checker(*, hint: str, success: str = "Correct!") -> Callable:
    """Turn a check function into a safe exercise checker.

    The wrapped function raises :class:`ExerciseFailed` for a wrong answer. Any
    other exception raised while checking (a wrong type deep inside NumPy, say)
    becomes an :class:`ExerciseFailed` too, so a student never sees a traceback
    from inside the checker. Every failure ends with ``hint``.
    """

    def decorate(check: Callable) -> Callable:
        @functools.wraps(check)
        def wrapper(*args, **kwargs):
            __tracebackhide__ = True
            try:
                check(*args, **kwargs)
            except ExerciseFailed as err:
                message = str(err)
            except NotImplementedError:
                message = (
                    "your code still raises NotImplementedError: replace the "
                    "`# YOUR CODE HERE` stub with your answer first."
                )
            except Exception as err:  # noqa: BLE001 - a checker must never crash
                message = (
                    f"Your answer could not be checked ({type(err).__name__}): "
                    "it does not have the type or shape the exercise asks for."
                )
            else:
                print(f"\u2713 {check.__name__.removeprefix('check_')}: {success}")
                return None  # nothing for Jupyter to echo under the success line
            raise ExerciseFailed(f"Not yet: {message}\nHint: {hint}") from None

        wrapper.is_checker = True
        return wrapper

    return decorate
