"""Checkers of the chapter on loss functions: the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception), and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse import activations, losses
from dlcourse.exercises import losses as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_bce(y, z):
    """Exercise 4, written independently of dlcourse."""
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def reference_sigmoid_mse_grad(y, z):
    """Exercise 5, from the formula 2 (p - y) p (1 - p) / n."""
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    p = 1.0 / (1.0 + np.exp(-z))
    return 2.0 * (p - y) * p * (1.0 - p) / y.size


def _numbers(message: str) -> set[str]:
    """Decimal numbers in a message, to make sure no expected value is printed."""
    return set(re.findall(r"\d+\.\d+", message))


# ----------------------------------------------------------------------------- passes


def test_reference_bce_passes(capsys):
    assert ex.check_bce_from_logits(reference_bce) is None
    assert capsys.readouterr().out.strip() == "\u2713 bce_from_logits: Correct!"


def test_dlcourse_bce_passes_and_a_numpy_scalar_is_accepted():
    assert ex.check_bce_from_logits(losses.binary_crossentropy_from_logits) is None
    assert ex.check_bce_from_logits(
        lambda y, z: np.mean(np.logaddexp(0.0, z) - np.asarray(z) * y)) is None


def test_reference_sigmoid_mse_grad_passes(capsys):
    assert ex.check_sigmoid_mse_grad(reference_sigmoid_mse_grad) is None
    assert capsys.readouterr().out.strip() == "\u2713 sigmoid_mse_grad: Correct!"


def test_chapter_solution_of_sigmoid_mse_grad_passes():
    def chapter(y, z):
        return losses.mse_grad(y, activations.sigmoid(z)) * activations.sigmoid_grad(z)

    assert ex.check_sigmoid_mse_grad(chapter) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_bce_from_logits, ex.check_sigmoid_mse_grad]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3], np.full((3, 1, 7), 0.5)]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer, capsys):
    _fails(check, answer)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_a_stub_that_raises_fails_naming_the_error(check):
    def stub(y, z):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_functions_returning_none_or_text_fail(check):
    assert "return statement" in _fails(check, lambda y, z: None)
    _fails(check, lambda y, z: "a string")
    _fails(check, lambda y: 0.0)  # wrong signature


# bce_from_logits ----------------------------------------------------------------------


def test_naive_bce_fails_on_large_logits_and_says_why():
    def naive(y, z):
        p = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))

    message = _fails(ex.check_bce_from_logits, naive)
    assert "+-40" in message and "rounds to 0 or 1" in message


def test_bce_clipped_like_keras_fails_on_confident_mistakes():
    def clipped(y, z):
        return losses.binary_crossentropy(y, np.clip(activations.sigmoid(z), 0.0, 1.0))

    assert "wrong value" in _fails(ex.check_bce_from_logits, clipped)


def test_bce_returning_per_element_losses_fails_on_shape():
    def per_element(y, z):
        z = np.asarray(z, dtype=float)
        return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))

    assert "return one number" in _fails(ex.check_bce_from_logits, per_element)


def test_bce_with_a_wrong_sign_fails_without_giving_the_value():
    def wrong_sign(y, z):
        z = np.asarray(z, dtype=float)
        return float(np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z)))))

    message = _fails(ex.check_bce_from_logits, wrong_sign)
    assert "wrong value" in message
    y, z = np.array([[1.0], [0.0], [1.0], [0.0]]), np.array([[2.0], [-1.0], [-0.5], [0.3]])
    expected = losses.binary_crossentropy_from_logits(y, z)
    assert not any(abs(float(v) - expected) < 1e-3 for v in _numbers(message))


def test_bce_summing_instead_of_averaging_fails():
    def summed(y, z):
        z = np.asarray(z, dtype=float)
        return float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))

    _fails(ex.check_bce_from_logits, summed)


def test_bce_that_modifies_its_input_fails():
    def mutates(y, z):
        value = reference_bce(y, z)
        z *= 0
        return value

    assert "must not modify" in _fails(ex.check_bce_from_logits, mutates)


def test_passing_a_value_instead_of_the_function_fails():
    assert "function itself" in _fails(ex.check_bce_from_logits, 0.69)
    assert "function itself" in _fails(ex.check_sigmoid_mse_grad, np.zeros(3))


# sigmoid_mse_grad ---------------------------------------------------------------------


def test_grad_without_the_sigmoid_derivative_fails():
    def no_chain(y, z):
        return losses.mse_grad(y, activations.sigmoid(z))

    assert "wrong values" in _fails(ex.check_sigmoid_mse_grad, no_chain)


def test_grad_with_sigmoid_grad_of_p_fails():
    def grad_of_p(y, z):  # sigmoid_grad takes the logits, not the probabilities
        p = activations.sigmoid(z)
        return losses.mse_grad(y, p) * activations.sigmoid_grad(p)

    _fails(ex.check_sigmoid_mse_grad, grad_of_p)


@pytest.mark.parametrize("factor", [2.0, 0.5, 4.0])
def test_grad_off_by_the_factor_two_says_so(factor):
    def scaled(y, z):
        return factor * reference_sigmoid_mse_grad(y, z)

    assert "constant factor" in _fails(ex.check_sigmoid_mse_grad, scaled)


def test_grad_without_the_mean_says_so():
    def summed(y, z):
        return reference_sigmoid_mse_grad(y, z) * np.asarray(y).size

    assert "constant factor" in _fails(ex.check_sigmoid_mse_grad, summed)


def test_grad_of_the_wrong_shape_fails():
    assert "shape" in _fails(ex.check_sigmoid_mse_grad,
                             lambda y, z: reference_sigmoid_mse_grad(y, z).ravel()[:1])
    assert "shape" in _fails(ex.check_sigmoid_mse_grad,
                             lambda y, z: float(np.sum(reference_sigmoid_mse_grad(y, z))))


def test_grad_with_nan_fails():
    assert "NaN" in _fails(ex.check_sigmoid_mse_grad,
                           lambda y, z: np.full(np.shape(z), np.nan))


def test_grad_with_the_wrong_sign_says_so():
    message = _fails(ex.check_sigmoid_mse_grad, lambda y, z: -reference_sigmoid_mse_grad(y, z))
    assert "wrong sign" in message


def test_grad_failure_shows_no_numbers():
    def perturbed(y, z):
        g = reference_sigmoid_mse_grad(y, z)
        return g + 0.01 * np.arange(g.size).reshape(g.shape)

    message = _fails(ex.check_sigmoid_mse_grad, perturbed)
    assert "wrong values" in message and not _numbers(message)
