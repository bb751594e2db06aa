"""Checkers of the chapter on backpropagation: the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception), and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import backpropagation as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_neuron_grad(w, x, y_true):
    """Exercise 2: 2 (y - y_true) 1[z > 0] x, written independently of dlcourse."""
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    z = float(w @ x)
    return 2.0 * (max(z, 0.0) - y_true) * (1.0 if z > 0 else 0.0) * x


def reference_dense_backward(x, w, delta):
    """Exercise 3."""
    return x.T @ delta, delta.sum(axis=0), delta @ w.T


def _numbers(message: str) -> set[str]:
    return set(re.findall(r"-?\d+\.\d+", message))


# ----------------------------------------------------------------------------- passes


def test_reference_neuron_grad_passes(capsys):
    assert ex.check_neuron_grad(reference_neuron_grad) is None
    assert capsys.readouterr().out.strip() == "\u2713 neuron_grad: Correct!"


def test_neuron_grad_returning_a_list_passes():
    assert ex.check_neuron_grad(lambda w, x, t: list(reference_neuron_grad(w, x, t))) is None


def test_reference_dense_backward_passes(capsys):
    assert ex.check_dense_backward(reference_dense_backward) is None
    assert capsys.readouterr().out.strip() == "\u2713 dense_backward: Correct!"


def test_dense_backward_returning_a_list_passes():
    assert ex.check_dense_backward(lambda x, w, d: list(reference_dense_backward(x, w, d))) is None


def test_dense_backward_computed_with_einsum_passes():
    def einsum(x, w, delta):
        return np.einsum("ni,nj->ij", x, delta), np.einsum("nj->j", delta), np.einsum("nj,ij->ni", delta, w)

    assert ex.check_dense_backward(einsum) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_neuron_grad, ex.check_dense_backward]
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
    def stub(a, b, c):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_functions_returning_none_or_text_fail(check):
    assert "return statement" in _fails(check, lambda a, b, c: None)
    _fails(check, lambda a, b, c: "text")
    _fails(check, lambda a, b: 0.0)  # wrong signature


# neuron_grad --------------------------------------------------------------------------


def test_neuron_grad_ignoring_the_relu_fails_where_it_is_off():
    def no_relu(w, x, y_true):
        z = float(np.dot(w, x))
        return 2.0 * (z - y_true) * np.asarray(x, dtype=float)

    assert "ReLU is off" in _fails(ex.check_neuron_grad, no_relu)


def test_neuron_grad_without_the_factor_two_says_so():
    assert "factor 2" in _fails(ex.check_neuron_grad,
                                lambda w, x, t: reference_neuron_grad(w, x, t) / 2)


def test_neuron_grad_with_the_wrong_sign_says_so():
    assert "wrong sign" in _fails(ex.check_neuron_grad,
                                  lambda w, x, t: -reference_neuron_grad(w, x, t))


def test_neuron_grad_using_w_instead_of_x_fails_without_numbers():
    def uses_w(w, x, y_true):
        z = float(np.dot(w, x))
        return 2.0 * (max(z, 0.0) - y_true) * (1.0 if z > 0 else 0.0) * np.asarray(w, dtype=float)

    message = _fails(ex.check_neuron_grad, uses_w)
    assert "wrong values" in message and not _numbers(message)


def test_neuron_grad_of_the_wrong_shape_fails():
    assert "shape (2,)" in _fails(ex.check_neuron_grad,
                                  lambda w, x, t: reference_neuron_grad(w, x, t)[:1])
    assert "shape (2,)" in _fails(ex.check_neuron_grad,
                                  lambda w, x, t: reference_neuron_grad(w, x, t).reshape(2, 1))


def test_neuron_grad_that_modifies_its_input_fails():
    def mutates(w, x, y_true):
        g = reference_neuron_grad(w, x, y_true)
        w -= 0.1 * g
        return g

    assert "must not modify" in _fails(ex.check_neuron_grad, mutates)


def test_neuron_grad_with_nan_fails():
    assert "NaN" in _fails(ex.check_neuron_grad, lambda w, x, t: np.array([np.nan, 0.0]))


# dense_backward -----------------------------------------------------------------------


def test_dense_backward_with_transposed_dw_names_the_mistake():
    def transposed(x, w, delta):
        dw, db, dx = reference_dense_backward(x, w, delta)
        return dw.T, db, dx

    assert "W transposed" in _fails(ex.check_dense_backward, transposed)


def test_dense_backward_without_summing_db_names_the_mistake():
    def unsummed(x, w, delta):
        dw, _, dx = reference_dense_backward(x, w, delta)
        return dw, delta, dx

    assert "add up its gradient over the examples" in _fails(ex.check_dense_backward, unsummed)


def test_dense_backward_with_db_averaged_fails_on_values():
    def averaged(x, w, delta):
        dw, db, dx = reference_dense_backward(x, w, delta)
        return dw, db / len(x), dx

    message = _fails(ex.check_dense_backward, averaged)
    assert "db has the wrong values" in message and not _numbers(message)


def test_dense_backward_with_dx_using_w_not_transposed_fails():
    def wrong_dx(x, w, delta):
        dw, db, _ = reference_dense_backward(x, w, delta)
        return dw, db, delta @ np.ones((w.shape[1], w.shape[0]))

    assert "dx has the wrong values" in _fails(ex.check_dense_backward, wrong_dx)


def test_dense_backward_with_wrong_dx_shape_fails():
    def bad_shape(x, w, delta):
        dw, db, dx = reference_dense_backward(x, w, delta)
        return dw, db, dx[:, :1]

    assert "shape of x" in _fails(ex.check_dense_backward, bad_shape)


def test_dense_backward_returning_two_arrays_fails():
    message = _fails(ex.check_dense_backward, lambda x, w, d: reference_dense_backward(x, w, d)[:2])
    assert "(dW, db, dx)" in message and "length 2" in message


def test_dense_backward_returning_an_array_fails():
    assert "(dW, db, dx)" in _fails(ex.check_dense_backward, lambda x, w, d: x.T @ d)


def test_dense_backward_that_modifies_delta_fails():
    def mutates(x, w, delta):
        out = tuple(a.copy() for a in reference_dense_backward(x, w, delta))
        delta *= 2
        return out

    assert "must not modify" in _fails(ex.check_dense_backward, mutates)
