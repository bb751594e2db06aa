"""What every exercise checker is built from.

A checker takes whatever the student produced. It passes with a short success
line, or raises :class:`ExerciseFailed` (an ``AssertionError``) that says what is
wrong and gives a hint. It never crashes on a wrong type or shape, and it never
prints the expected answer: expected values are recomputed from dlcourse or stored
as digests (:func:`digest`), not as readable numbers, where that is possible.

Write a checker as a plain function decorated with :func:`checker`::

    @checker(hints=["Count the weights and the biases separately.",
                    "Each neuron has one weight per input plus one bias."])
    def check_param_count(answer):
        n = as_int(answer, "answer")
        expect(n == 3 * 4 + 4, f"{n} is not the number of parameters of Dense(4) on 3 inputs")

``hints`` go from a nudge to a stronger hint: the first failure shows the first, each
further failure the next (the last one repeats); ``hint="..."`` is a single hint. No hint
may state the answer, a value, the formula or the code (``tests/test_assign.py`` scans
every hint against the chapters' solutions). Which hint a learner saw is recorded by
:mod:`dlcourse.exercises.hintlog`.

While it checks, the student's code runs under a time limit (:data:`TIME_LIMIT_S`,
where the platform has ``SIGALRM``: Linux and macOS, so JupyterLab, Colab and
Binder), with its printed output cut after :data:`OUTPUT_LINES` lines, and whatever
it raises (``SystemExit``, ``RecursionError``, any ``BaseException``) becomes a
failure; only ``KeyboardInterrupt`` (the stop button) goes through.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import signal
import sys
import threading
import time
import warnings
from typing import Callable, Sequence

import numpy as np

from . import hintlog

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
    "TIME_LIMIT_S",
    "OUTPUT_LINES",
]

#: Seconds one check may run, the student's code included, before it fails.
TIME_LIMIT_S = 60.0
#: Lines of the student's own printed output a check shows before cutting it.
OUTPUT_LINES = 20
_OUTPUT_CHARS = 4000


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


class _TimeUp(BaseException):
    """Raised in the student's code when a check runs past its time limit.

    A ``BaseException``, so that a student's ``except Exception`` does not swallow it."""


def _reason(err: BaseException) -> str:
    """What a student's exception means, in one clause."""
    if isinstance(err, SystemExit):
        return ("raised SystemExit (it calls sys.exit() or exit()): a function should "
                "return its answer, not stop Python")
    if isinstance(err, RecursionError):
        return ("raised RecursionError (it calls itself without end): check that every "
                "recursive call gets closer to a case that returns directly")
    first = str(err).splitlines()[0][:200] if str(err) else ""
    return f"raised {type(err).__name__}" + (f": {first}" if first else "")


def call_student(fn, *args, **kwargs):
    """Call the student's function quietly; whatever it raises becomes a failure naming it.

    NumPy and Python warnings raised by the student's code are silenced: the checker
    judges the result, and a warning would only clutter the notebook's stderr.
    ``KeyboardInterrupt`` (the learner's stop button) and the check's time limit go
    through to :func:`checker`.
    """
    __tracebackhide__ = True
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except (KeyboardInterrupt, _TimeUp):
        raise
    except NotImplementedError:
        raise ExerciseFailed(
            "your function still raises NotImplementedError: replace the "
            "`# YOUR CODE HERE` stub with your answer first."
        ) from None
    except BaseException as err:  # noqa: BLE001 - report the student's error, do not crash
        raise ExerciseFailed(f"calling your function {_reason(err)}.") from None


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise :class:`_TimeUp` in this thread after ``seconds`` (where SIGALRM exists)."""
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def time_up(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # someone else's timer was running: give it back what is left
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


class _CappedOutput(io.TextIOBase):
    """A stream that keeps the first ``lines`` lines (at most ``chars`` characters)."""

    def __init__(self, lines: int, chars: int):
        self.lines, self.chars = lines, chars
        self._kept, self._newlines, self._total = "", 0, 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        self._newlines += text.count("\n")
        self._total += len(text)
        if len(self._kept) < self.chars:
            self._kept += text[: self.chars - len(self._kept)]
        return len(text)

    def replay(self, stream) -> None:
        if not self._total:
            return
        shown = self._kept.splitlines(keepends=True)[: self.lines]
        text = "".join(shown)
        stream.write(text if text.endswith("\n") else text + "\n")
        if len(text) < self._total:
            lines = self._newlines + (0 if self._kept.endswith("\n") else 1)
            stream.write(f"[... your code printed {lines} lines; only the first "
                         f"{len(shown)} are shown]\n")


@contextlib.contextmanager
def _guarded(seconds: float | None):
    """Run a check with a time limit, the student's output capped, stderr folded in."""
    out = _CappedOutput(OUTPUT_LINES, _OUTPUT_CHARS)
    stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
                _time_limit(seconds):
            yield
    finally:
        out.replay(stdout)


def digest(value, decimals: int = 4) -> str:
    """SHA-256 of ``value`` rounded to ``decimals``: lets a checker hold an answer
    it can compare with but a student cannot read."""
    arr = np.round(np.asarray(value, dtype=float) + 0.0, decimals) + 0.0  # no -0.0
    text = ",".join(f"{v:.{decimals}f}" for v in arr.ravel())
    return hashlib.sha256(f"{arr.shape}|{text}".encode()).hexdigest()


def matches_digest(value, expected: str, decimals: int = 4) -> bool:
    """Whether ``value`` rounds to the answer whose :func:`digest` is ``expected``."""
    return digest(value, decimals) == expected


def checker(*, hint: str | None = None, hints: Sequence[str] | None = None,
            success: str = "Correct!", time_limit: float | None = None) -> Callable:
    """Turn a check function into a safe exercise checker.

    The wrapped function raises :class:`ExerciseFailed` for a wrong answer. Any
    other exception raised while checking (a wrong type deep inside NumPy, say, or
    ``SystemExit`` from the student's code) becomes an :class:`ExerciseFailed` too,
    so a student never sees a traceback from inside the checker; so does running past
    ``time_limit`` seconds (default :data:`TIME_LIMIT_S`). Every failure ends with a
    hint: ``hint``, or the next of ``hints`` (a nudge first, stronger ones on later
    failures), and the hint shown is recorded (:mod:`dlcourse.exercises.hintlog`).
    """
    if (hint is None) == (hints is None):
        raise TypeError("checker: give exactly one of hint='...' or hints=[...]")
    levels = (hint,) if hints is None else tuple(hints)
    if not levels or not all(isinstance(h, str) and h.strip() for h in levels):
        raise TypeError(f"checker: every hint must be a non-empty string; received {levels!r}")

    def decorate(check: Callable) -> Callable:
        key = f"{check.__module__.removeprefix('dlcourse.exercises.')}.{check.__name__}"

        @functools.wraps(check)
        def wrapper(*args, **kwargs):
            __tracebackhide__ = True
            seconds = TIME_LIMIT_S if time_limit is None else time_limit
            try:
                with _guarded(seconds):
                    check(*args, **kwargs)
            except ExerciseFailed as err:
                message = str(err)
            except NotImplementedError:
                message = (
                    "your code still raises NotImplementedError: replace the "
                    "`# YOUR CODE HERE` stub with your answer first."
                )
            except KeyboardInterrupt:
                raise  # the learner pressed stop: stop the cell
            except _TimeUp:
                message = (
                    f"the check took longer than {seconds:g} s, its time limit: look for a "
                    "loop that never ends, or for work repeated far more often than needed."
                )
            except (SystemExit, RecursionError) as err:
                message = f"your code {_reason(err)}."
            except Exception as err:  # noqa: BLE001 - a checker must never crash
                message = (
                    f"Your answer could not be checked ({type(err).__name__}): "
                    "it does not have the type or shape the exercise asks for."
                )
            except BaseException as err:  # noqa: BLE001 - nor let student code escape
                message = f"your code {_reason(err)}."
            else:
                hintlog.record_pass(key)
                print(f"\u2713 {check.__name__.removeprefix('check_')}: {success}")
                return None  # nothing for Jupyter to echo under the success line
            level = hintlog.record_failure(key, len(levels))
            # no digits: a message must not show a number that could pass for an answer
            more = " (a stronger hint follows if the next try fails too)" \
                if level < len(levels) else ""
            raise ExerciseFailed(f"Not yet: {message}\nHint: {levels[level - 1]}{more}") from None

        wrapper.is_checker = True
        wrapper.hints = levels
        return wrapper

    return decorate
