"""Checkers of "Linear regression with Keras": the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception), and no failure message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import data
from dlcourse.exercises import linear_regression as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails


def reference_least_squares(x, y):
    """The closed form of exercise 2, written independently of the checker."""
    x, y = np.ravel(x), np.ravel(y)
    w = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    return w, y.mean() - w * x.mean()


def reference_step(w, b, x, y, learning_rate):
    """One step of gradient descent on mean((w x + b - y)^2)."""
    err = w * x + b - y
    return w - learning_rate * 2 * np.mean(err * x), b - learning_rate * 2 * np.mean(err)


# ----------------------------------------------------------------------------- passes


def test_reference_least_squares_passes(capsys):
    assert ex.check_least_squares(reference_least_squares) is None
    assert capsys.readouterr().out.strip() == "\u2713 least_squares: Correct!"


def test_lstsq_and_polyfit_answers_pass():
    def with_lstsq(x, y):
        design = np.column_stack([x.ravel(), np.ones(len(x))])
        return tuple(np.linalg.lstsq(design, y.ravel(), rcond=None)[0])

    def with_polyfit(x, y):
        w, b = np.polyfit(x.ravel(), y.ravel(), 1)
        return [w, b]

    assert ex.check_least_squares(with_lstsq) is None
    assert ex.check_least_squares(with_polyfit) is None


def test_reference_step_passes(capsys):
    assert ex.check_gradient_step(reference_step) is None
    assert capsys.readouterr().out.strip() == "\u2713 gradient_step: Correct!"


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_least_squares, ex.check_gradient_step]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2], (2.0, 0.5)]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    _fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_not_implemented_fails_naming_the_error(check):
    def stub(*args):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_wrong_return_types_and_shapes_fail(check):
    assert "pair" in _fails(check, lambda *a: 1.0)
    assert "pair" in _fails(check, lambda *a: (1.0, 2.0, 3.0))
    assert "single number" in _fails(check, lambda *a: (np.ones(3), 0.0))
    assert "should be a number" in _fails(check, lambda *a: ("w", "b"))
    assert "is nan" in _fails(check, lambda *a: (np.nan, 0.0))
    _fails(check, lambda x: (0.0, 0.0))  # wrong signature


def _expected_numbers() -> list[str]:
    """The least-squares line of the chapter's data, as a message could print it."""
    w, b = reference_least_squares(*data.make_linear())
    return [f"{v:.{d}f}" for v in (w, b) for d in (2, 3, 4)]


def test_least_squares_wrong_values_fail_without_giving_numbers():
    for wrong in (lambda x, y: (3.0, 0.5),                        # the true line, not the fit
                  lambda x, y: (reference_least_squares(x, y)[0], 0.0),  # intercept forgotten
                  lambda x, y: (float(np.mean(y) / np.mean(x)), 0.0)):
        message = _fails(ex.check_least_squares, wrong)
        assert not any(n in message for n in _expected_numbers()), message


def test_least_squares_intercept_only_wrong_is_named():
    def no_intercept(x, y):
        w, b = reference_least_squares(x, y)
        return w, b + 0.1

    assert "intercept b is wrong" in _fails(ex.check_least_squares, no_intercept)


def test_least_squares_swapped_pair_is_named():
    assert "(b, w)" in _fails(ex.check_least_squares,
                              lambda x, y: reference_least_squares(x, y)[::-1])


def test_least_squares_that_modifies_its_input_fails():
    def mutates(x, y):
        out = reference_least_squares(x.copy(), y.copy())
        y -= 1.0
        return out

    assert "must not modify" in _fails(ex.check_least_squares, mutates)


def test_gradient_step_uphill_and_half_step_are_named():
    def uphill(w, b, x, y, learning_rate):
        return reference_step(w, b, x, y, -learning_rate)

    def half(w, b, x, y, learning_rate):
        return reference_step(w, b, x, y, learning_rate / 2)

    assert "uphill" in _fails(ex.check_gradient_step, uphill)
    assert "factor 2" in _fails(ex.check_gradient_step, half)


def test_gradient_step_wrong_value_fails():
    def sum_not_mean(w, b, x, y, learning_rate):
        err = w * x + b - y
        return w - learning_rate * 2 * np.sum(err * x), b - learning_rate * 2 * np.sum(err)

    message = _fails(ex.check_gradient_step, sum_not_mean)
    assert "wrong" in message and "[" not in message
