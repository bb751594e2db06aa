"""Checkers of the chapter on gradient descent: the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception, never output on a failure), and no failure message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import gradient_descent as ex
from dlcourse.exercises.checking import ExerciseFailed

H = np.array([[4.0, 1.0], [1.0, 2.0]])
LO, HI = np.linalg.eigvalsh(H)
ETA_MAX, ETA_BEST = 2 / HI, 2 / (LO + HI)


def _fails(check, *answer) -> str:
    with pytest.raises(ExerciseFailed) as info:
        check(*answer)
    message = str(info.value)
    assert message.startswith("Not yet: ") and "\nHint: " in message
    return message


def _no_answer_in(message: str, *values: float) -> None:
    for v in values:
        for digits in (3, 4, 6):
            assert f"{v:.{digits}f}" not in message, (v, message)


# ------------------------------------------------------------------ learning rates


def test_exercise_hessian_is_the_one_in_the_chapter():
    assert np.array_equal(ex.EXERCISE_HESSIAN, H)


def test_learning_rates_pass(capsys):
    ex.check_learning_rates(ETA_MAX, ETA_BEST)
    assert capsys.readouterr().out.strip() == "\u2713 learning_rates: Correct!"


def test_learning_rates_pass_rounded_and_as_numpy_scalars():
    ex.check_learning_rates(round(ETA_MAX, 3), round(ETA_BEST, 3))
    ex.check_learning_rates(np.float32(ETA_MAX), np.array(ETA_BEST))


@pytest.mark.parametrize("answer", [
    (None, ETA_BEST), (ETA_MAX, ...), ("0.45", ETA_BEST), (ETA_MAX, [ETA_BEST, 1.0]),
    (np.full((3, 1, 7), 0.5), ETA_BEST), (True, ETA_BEST), (float("nan"), ETA_BEST),
    (-ETA_MAX, ETA_BEST),
], ids=["none", "ellipsis", "string", "list", "wrong-shape", "bool", "nan", "negative"])
def test_learning_rates_refuse_junk(answer, capsys):
    _no_answer_in(_fails(ex.check_learning_rates, *answer), ETA_MAX, ETA_BEST)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("answer,words", [
    ((ETA_BEST, ETA_MAX), "swapped"),
    ((1 / HI, ETA_BEST), "monotonically"),
    ((2 / LO, ETA_BEST), "flattest"),
    ((2 / np.trace(H), ETA_BEST), "eigenvalue"),
    ((0.6, ETA_BEST), "threshold"),
    ((ETA_MAX, 1 / HI), "balance"),
    ((ETA_MAX, 0.3), "minimises"),
    ((ETA_MAX, 0.46), "below eta_max"),
])
def test_learning_rates_say_what_is_wrong(answer, words):
    message = _fails(ex.check_learning_rates, *answer)
    assert words in message
    _no_answer_in(message, ETA_MAX, ETA_BEST)


# ------------------------------------------------------------------ momentum path


def reference_momentum_path(grad_fn, w0, learning_rate, momentum, steps):
    w = np.array(w0, dtype=float)
    v = np.zeros_like(w)
    path = [w.copy()]
    for _ in range(steps):
        v = momentum * v - learning_rate * np.asarray(grad_fn(w))
        w = w + v
        path.append(w.copy())
    return np.array(path)


def flipped_sign_convention(grad_fn, w0, learning_rate, momentum, steps):
    """v = mu v + eta g; w -= v: the same iterates, written the other way round."""
    w = np.array(w0, dtype=float)
    v = np.zeros_like(w)
    path = [w.copy()]
    for _ in range(steps):
        v = momentum * v + learning_rate * grad_fn(w)
        w = w - v
        path.append(w.copy())
    return path  # a list of arrays is fine too


def test_momentum_path_reference_passes(capsys):
    ex.check_momentum_path(reference_momentum_path)
    assert capsys.readouterr().out.strip() == "\u2713 momentum_path: Correct!"


def test_momentum_path_other_sign_convention_passes():
    ex.check_momentum_path(flipped_sign_convention)


def no_momentum(grad_fn, w0, learning_rate, momentum, steps):
    return reference_momentum_path(grad_fn, w0, learning_rate, 0.0, steps)


def forgets_velocity(grad_fn, w0, learning_rate, momentum, steps):
    w, path = np.array(w0, dtype=float), [np.array(w0, dtype=float)]
    for _ in range(steps):
        v = -learning_rate * grad_fn(w)   # a fresh velocity every step
        w = w + momentum * v + v
        path.append(w.copy())
    return np.array(path)


def without_first_row(grad_fn, w0, learning_rate, momentum, steps):
    return reference_momentum_path(grad_fn, w0, learning_rate, momentum, steps)[1:]


def in_place(grad_fn, w0, learning_rate, momentum, steps):
    v = np.zeros_like(w0)
    path = [w0.copy()]
    for _ in range(steps):
        v = momentum * v - learning_rate * grad_fn(w0)
        w0 += v
        path.append(w0.copy())
    return np.array(path)


def ascends(grad_fn, w0, learning_rate, momentum, steps):
    return reference_momentum_path(lambda w: -grad_fn(w), w0, learning_rate, momentum, steps)


def returns_nothing(grad_fn, w0, learning_rate, momentum, steps):
    reference_momentum_path(grad_fn, w0, learning_rate, momentum, steps)


def crashes(grad_fn, w0, learning_rate, momentum, steps):
    return w0[10]


def stub(grad_fn, w0, learning_rate, momentum, steps):
    raise NotImplementedError


def returns_text(grad_fn, w0, learning_rate, momentum, steps):
    return "path"


def diverges(grad_fn, w0, learning_rate, momentum, steps):
    return np.full((steps + 1, np.size(w0)), np.inf)


@pytest.mark.parametrize("answer,words", [
    (None, "placeholder"),
    (..., "placeholder"),
    (np.full((3, 1, 7), 0.5), "not the result"),
    (reference_momentum_path(lambda w: w, np.ones(2), 0.1, 0.9, 3), "not the result"),
    (stub, "NotImplementedError"),
    (returns_nothing, "return statement"),
    (returns_text, "array of numbers"),
    (crashes, "IndexError"),
    (without_first_row, "w0 first"),
    (in_place, "in place"),
    (diverges, "NaN or infinity"),
    (ascends, "first step"),
    (no_momentum, "velocity"),
    (forgets_velocity, "first step"),
], ids=["none", "ellipsis", "array", "a-path", "stub", "no-return", "text", "crash",
        "no-first-row", "in-place", "inf", "ascends", "no-momentum", "forgets-velocity"])
def test_momentum_path_refuses_wrong_answers(answer, words, capsys):
    message = _fails(ex.check_momentum_path, answer)
    assert words in message, message
    assert capsys.readouterr().out == ""
    assert "v = momentum * v - learning_rate" not in message.split("Hint:")[0]
