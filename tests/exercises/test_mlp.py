"""Checkers of "A multilayer perceptron": the reference answers pass; placeholders, wrong
types, wrong shapes and wrong values fail with ExerciseFailed (never another exception),
and no failure message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import mlp as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails


def reference_accuracy(y_true, p):
    """Keras's binary accuracy, written independently of the checker."""
    return float(np.mean(np.asarray(y_true) == (np.asarray(p) > 0.5)))


def reference_floor(y):
    """Mean binary entropy of the targets, 0 log 0 = 0."""
    from scipy.special import xlogy

    return float(-np.mean(xlogy(y, y) + xlogy(1 - y, 1 - y)))


# ----------------------------------------------------------------------------- passes


def test_reference_accuracy_passes(capsys):
    assert ex.check_binary_accuracy(reference_accuracy) is None
    assert capsys.readouterr().out.strip() == "\u2713 binary_accuracy: Correct!"


def test_keras_binary_accuracy_passes():
    """The checker's rule is Keras's own: its function, averaged, is accepted."""
    keras = pytest.importorskip("keras")

    def with_keras(y_true, p):
        return float(np.mean(keras.metrics.binary_accuracy(y_true, p)))

    assert ex.check_binary_accuracy(with_keras) is None


def test_reference_floor_passes(capsys):
    assert ex.check_bce_floor(reference_floor) is None
    assert capsys.readouterr().out.strip() == "\u2713 bce_floor: Correct!"


def test_floor_with_np_where_passes():
    def with_where(y):
        def xlogx(v):
            return np.where(v > 0, v * np.log(np.where(v > 0, v, 1.0)), 0.0)

        return -np.mean(xlogx(y) + xlogx(1 - y))

    assert ex.check_bce_floor(with_where) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_binary_accuracy, ex.check_bce_floor]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2], (0.5,)]


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
    assert "single number" in _fails(check, lambda *a: np.ones(3))
    assert "should be a number" in _fails(check, lambda *a: "high")
    assert "is nan" in _fails(check, lambda *a: np.nan)
    _fails(check, lambda a, b, c: 0.0)  # wrong signature


def test_accuracy_that_rounds_the_targets_fails_on_continuous_targets():
    def rounds_targets(y_true, p):
        return float(np.mean(np.round(y_true) == (p > 0.5)))

    message = _fails(ex.check_binary_accuracy, rounds_targets)
    assert "continuous targets" in message


def test_accuracy_with_wrong_threshold_rule_fails():
    def ge(y_true, p):
        return float(np.mean(y_true == (p >= 0.5)))

    assert "exactly 0.5" in _fails(ex.check_binary_accuracy, ge)


def test_accuracy_as_percentage_is_named():
    assert "percentage" in _fails(ex.check_binary_accuracy,
                                  lambda y, p: 100 * reference_accuracy(y, p))


def test_floor_wrong_values_fail_without_giving_numbers():
    rng = np.random.default_rng(5)
    rng.random(0)
    expected = reference_floor(np.random.default_rng(5).random((100, 1)))
    for wrong in (lambda y: np.log(2.0),                       # predicting 1/2 everywhere
                  lambda y: 0.0,                               # "a perfect model scores 0"
                  lambda y: -np.mean(y * np.log(y))):          # half of the entropy
        message = _fails(ex.check_bce_floor, wrong)
        assert f"{expected:.3f}" not in message and f"{expected:.2f}" not in message


def test_floor_with_nan_on_exact_labels_fails():
    def naive(y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.mean(y * np.log(y) + (1 - y) * np.log(1 - y))

    assert "nan" in _fails(ex.check_bce_floor, naive)


def test_floor_in_bits_is_named():
    assert "base 2" in _fails(ex.check_bce_floor, lambda y: reference_floor(y) / np.log(2))
