"""Checkers of the chapter on activation functions: the reference answers pass;
placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed (never
another exception, never a warning on stderr), and no failure message gives the answer
away."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dlcourse.exercises import activations as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_log_softmax(z):
    """The answer of the log-softmax exercise, written independently of dlcourse."""
    z = np.asarray(z, dtype=float)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def log_of_softmax(z):
    """Stable softmax, then the log: -inf where a probability underflows to 0."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return np.log(e / e.sum(axis=-1, keepdims=True))


def naive_log_softmax(z):
    z = np.asarray(z, dtype=float)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def sigma(x):
    return 1.0 / (1.0 + np.exp(-x))


def reference_stacked_sigmoid_grad(x, k):
    """The answer of the chain-rule exercise: multiply sigma'(h) layer by layer."""
    h, grad = np.asarray(x, dtype=float), 1.0
    for _ in range(k):
        s = sigma(h)
        grad = grad * s * (1.0 - s)
        h = s
    return grad


# ----------------------------------------------------------------------------- passes


def test_reference_log_softmax_passes(capsys):
    ex.check_log_softmax(reference_log_softmax)  # passes: no ExerciseFailed
    assert capsys.readouterr().out.strip() == "\u2713 log_softmax: Correct!"


def test_log_softmax_computed_in_float32_passes():
    """float32 is a fair way to compute it: the check compares to 1e-5 relative."""
    ex.check_log_softmax(lambda z: reference_log_softmax(np.asarray(z, dtype=np.float32)))



def test_dlcourse_log_softmax_passes():
    from dlcourse import losses

    ex.check_log_softmax(lambda z: losses._log_softmax(np.atleast_2d(z)).reshape(np.shape(z)))


def test_reference_stacked_sigmoid_grad_passes(capsys):
    ex.check_stacked_sigmoid_grad(reference_stacked_sigmoid_grad)
    assert capsys.readouterr().out.strip() == "\u2713 stacked_sigmoid_grad: Correct!"


def test_recursive_stacked_sigmoid_grad_passes():
    from dlcourse import activations

    def recursive(x, k):
        if k == 1:
            return activations.sigmoid_grad(x)
        return activations.sigmoid_grad(activations.sigmoid(x)) * recursive(x, k - 1) \
            if k == 2 else recursive(activations.sigmoid(x), k - 1) * activations.sigmoid_grad(x)

    ex.check_stacked_sigmoid_grad(recursive)


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_log_softmax, ex.check_stacked_sigmoid_grad]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3]]


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
def test_a_stub_that_raises_names_the_error(check):
    def stub(*args):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


# log_softmax -------------------------------------------------------------------------


def test_naive_log_softmax_fails_on_overflow_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from np.exp would raise here
        message = _fails(ex.check_log_softmax, naive_log_softmax)
    assert "NaN or infinity for large scores" in message


def test_log_of_a_stable_softmax_fails_where_a_probability_underflows():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # np.log(0) would warn here
        message = _fails(ex.check_log_softmax, log_of_softmax)
    assert "NaN or infinity for scores 800 apart" in message


def test_log_softmax_over_the_whole_array_fails_on_a_batch():
    def flat(z):
        z = np.asarray(z, dtype=float)
        m = z.max()
        return z - m - np.log(np.sum(np.exp(z - m)))

    assert "along the last axis" in _fails(ex.check_log_softmax, flat)


def test_log_softmax_along_the_first_axis_fails():
    def first_axis(z):
        z = np.asarray(z, dtype=float)
        m = z.max(axis=0, keepdims=True)
        return z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))

    _fails(ex.check_log_softmax, first_axis)


def test_log_softmax_with_a_wrong_shape_or_type_fails():
    assert "expected shape (3,)" in _fails(ex.check_log_softmax,
                                           lambda z: reference_log_softmax(z)[None])
    assert "returned None" in _fails(ex.check_log_softmax, lambda z: None)
    assert "returned a str" in _fails(ex.check_log_softmax, lambda z: "log-probabilities")


def test_log_softmax_returning_probabilities_fails():
    def probabilities(z):
        return np.exp(reference_log_softmax(z))

    assert "positive entries" in _fails(ex.check_log_softmax, probabilities)


def test_log_softmax_that_is_not_normalised_fails():
    def unnormalised(z):
        z = np.asarray(z, dtype=float)
        return z - z.max(axis=-1, keepdims=True)

    assert "does not sum to 1" in _fails(ex.check_log_softmax, unnormalised)


def test_log_softmax_with_wrong_values_does_not_print_them():
    def sharpened(z):  # normalised, non-positive, but the wrong distribution
        return reference_log_softmax(2 * np.asarray(z, dtype=float))

    message = _fails(ex.check_log_softmax, sharpened)
    assert "wrong values" in message
    assert "-2.4" not in message and "-0.4" not in message and "[" not in message


def test_log_softmax_that_modifies_its_input_fails():
    def in_place(z):
        z -= z.max(axis=-1, keepdims=True)
        return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))

    assert "must not modify" in _fails(ex.check_log_softmax, in_place)


# stacked_sigmoid_grad ---------------------------------------------------------------


def test_stacked_grad_evaluating_every_factor_at_x_says_so():
    def same_point(x, k):
        s = sigma(np.asarray(x, dtype=float))
        return (s * (1 - s)) ** k

    assert "own input" in _fails(ex.check_stacked_sigmoid_grad, same_point)


def test_stacked_grad_wrong_for_one_sigmoid_says_so():
    assert "derivative of one sigmoid" in _fails(
        ex.check_stacked_sigmoid_grad, lambda x, k: sigma(np.asarray(x, dtype=float)))


def test_stacked_grad_with_one_factor_too_many_fails():
    def off_by_one(x, k):
        return reference_stacked_sigmoid_grad(x, k + 1) if k > 1 else \
            reference_stacked_sigmoid_grad(x, 1)

    message = _fails(ex.check_stacked_sigmoid_grad, off_by_one)
    assert "stacked_sigmoid_grad(x, 2) has the wrong values" in message
    assert "e-" not in message and "[" not in message  # no number is given away


def test_stacked_grad_that_only_takes_arrays_fails():
    def arrays_only(x, k):
        return reference_stacked_sigmoid_grad(np.asarray(x)[:, None], k)[:, 0]

    assert "single number" in _fails(ex.check_stacked_sigmoid_grad, arrays_only)


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda x, k: reference_stacked_sigmoid_grad(x, k)[:3], "expected shape (9,)"),
        (lambda x, k: float(reference_stacked_sigmoid_grad(x, k).sum()), "expected shape (9,)"),
        (lambda x, k: np.full(9, np.nan), "NaN"),
        (lambda x: x, "raised TypeError"),
    ],
)
def test_stacked_grad_of_the_wrong_form_fails(answer, words):
    assert words in _fails(ex.check_stacked_sigmoid_grad, answer)


def test_stacked_grad_that_modifies_x_fails():
    def in_place(x, k):
        out = reference_stacked_sigmoid_grad(x.copy(), k)
        x[:] = 0.0
        return out

    assert "must not modify" in _fails(ex.check_stacked_sigmoid_grad, in_place)
