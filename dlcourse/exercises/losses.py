"""Checkers of the chapter on loss functions (``book/core/losses.ipynb``).

Expected values are recomputed when a checker runs, from :mod:`dlcourse.losses` or
by central finite differences (:func:`dlcourse.gradcheck.numerical_gradient`), so
nothing here stores an answer a student could read. A student's function may overflow
(a naive cross-entropy does, at logits of 1000): the checkers call it with NumPy's
floating-point warnings silenced, so a wrong answer shows as a failure message and not
as a RuntimeWarning on stderr.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import activations, gradcheck
from .. import losses as _losses
from .checking import ExerciseFailed, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_bce_from_logits", "check_sigmoid_mse_grad"]


# ---------------------------------------------------------------------- bce_from_logits


def _bce_cases():
    """(y, z, what the case tests), fixed and readable."""
    rng = np.random.default_rng(1986)
    return [
        (np.array([[1.0], [0.0], [1.0], [0.0]]), np.array([[2.0], [-1.0], [-0.5], [0.3]]),
         "four examples with moderate logits"),
        (np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.0, 0.0]),
         "logits of exactly 0 (p = 0.5), in a 1-D array"),
        (rng.integers(0, 2, size=(6, 3)).astype(float), rng.normal(scale=3.0, size=(6, 3)),
         "a (6, 3) batch (the mean runs over every element)"),
        (np.array([[0.0], [1.0]]), np.array([[40.0], [-40.0]]),
         "confident mistakes, logits of +-40 (sigmoid rounds to exactly 0 or 1)"),
        (np.array([0.0, 1.0, 1.0, 0.0]), np.array([1000.0, -1000.0, 1000.0, -1000.0]),
         "logits of +-1000, where exp(1000) overflows"),
        (np.array([[0.2], [0.7], [0.5]]), np.array([[-1.0], [3.0], [0.5]]),
         "soft targets between 0 and 1"),
    ]


@checker(
    hints=[
        "Computing the sigmoid first and then its logarithm overflows or loses precision "
        "for large logits: work from the logits directly.",
        "The chapter rewrites the per-example loss so that the only exponential has an "
        "argument that is never positive.",
        "Use that rewritten form element by element, with NumPy's log1p for the logarithm"
        " of one plus a small number, then take the mean over all elements.",
    ]
)
def check_bce_from_logits(bce_from_logits):
    """Check ``bce_from_logits(y, z)``: the mean binary cross-entropy from logits."""
    _require_function(bce_from_logits, "bce_from_logits")
    for y, z, what in _bce_cases():
        y_in, z_in = y.copy(), z.copy()
        out = _call(bce_from_logits, y_in, z_in)
        expect(out is not None,
               "bce_from_logits returned None: did you forget the return statement?")
        try:
            arr = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"bce_from_logits should return a number; it returned a {type(out).__name__}."
            ) from None
        expect(arr.size == 1,
               f"bce_from_logits returned an array of shape {arr.shape} for {what}; return "
               f"one number, the mean over every element.")
        value = float(arr.reshape(()))
        expect(np.array_equal(y_in, y) and np.array_equal(z_in, z),
               "bce_from_logits must not modify its inputs y and z.")
        if not np.isfinite(value):
            raise ExerciseFailed(
                f"bce_from_logits returned {value} for {what}: computing sigmoid(z) first "
                f"and then its log breaks when sigmoid(z) rounds to 0 or 1, and exp(z) "
                f"overflows for large z."
            )
        expected = _losses.binary_crossentropy_from_logits(y, z)
        expect(np.isclose(value, expected, rtol=1e-7, atol=1e-10),
               f"bce_from_logits has the wrong value for {what}.")


# ---------------------------------------------------------------------- sigmoid_mse_grad


def _grad_cases():
    """(y, z, what the case tests)."""
    rng = np.random.default_rng(1989)
    return [
        (np.array([[1.0], [0.0], [1.0]]), np.array([[0.5], [-1.0], [2.0]]),
         "three examples with one output each"),
        (np.array([1.0, 0.0]), np.array([-3.0, 3.0]),
         "two confidently wrong predictions, in a 1-D array"),
        (rng.integers(0, 2, size=(4, 3)).astype(float), rng.normal(scale=2.0, size=(4, 3)),
         "a (4, 3) batch (the MSE averages over all 12 elements)"),
        (np.array([[0.3], [0.9]]), np.array([[0.0], [1.5]]),
         "targets that are not 0 or 1"),
    ]


def _constant_ratio(got: np.ndarray, expected: np.ndarray):
    """got / expected if it is the same number everywhere (a missing factor), else None."""
    mask = np.abs(expected) > 1e-9
    if not mask.any() or np.any(got[mask] == 0):
        return None
    ratio = got[mask] / expected[mask]
    return float(ratio[0]) if np.allclose(ratio, ratio[0], rtol=1e-5) else None


def _mse_of_sigmoid(y: np.ndarray):
    return lambda v: _losses.mse(y, activations.sigmoid(v))


@checker(
    hints=[
        "The loss depends on the logits through the sigmoid: use the chain rule.",
        "Multiply, element by element, the gradient of the mean squared error with "
        "respect to the probabilities by the derivative of the sigmoid with respect to "
        "the logits.",
        "dlcourse.losses.mse_grad gives the first factor (with its factor two over the "
        "number of elements) and dlcourse.activations.sigmoid_grad the second; the latter"
        " takes the logits, not the probabilities.",
    ]
)
def check_sigmoid_mse_grad(sigmoid_mse_grad):
    """Check ``sigmoid_mse_grad(y, z)``: the gradient of mse(y, sigmoid(z)) w.r.t. z."""
    _require_function(sigmoid_mse_grad, "sigmoid_mse_grad")
    for y, z, what in _grad_cases():
        y_in, z_in = y.copy(), z.copy()
        out = _call(sigmoid_mse_grad, y_in, z_in)
        expect(out is not None,
               "sigmoid_mse_grad returned None: did you forget the return statement?")
        try:
            got = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"sigmoid_mse_grad should return an array of numbers; it returned a "
                f"{type(out).__name__}."
            ) from None
        expect(got.shape == z.shape,
               f"sigmoid_mse_grad returned shape {got.shape} for {what}; the gradient "
               f"has the shape of z, {z.shape}.")
        expect(np.all(np.isfinite(got)), f"sigmoid_mse_grad returned NaN or infinity for {what}.")
        expect(np.array_equal(y_in, y) and np.array_equal(z_in, z),
               "sigmoid_mse_grad must not modify its inputs y and z.")
        expected = gradcheck.numerical_gradient(_mse_of_sigmoid(y), z)
        ratio = _constant_ratio(got, expected)
        if ratio is not None and np.isclose(ratio, -1.0, rtol=1e-5):
            raise ExerciseFailed(f"sigmoid_mse_grad has the wrong sign for {what}.")
        if ratio is not None and not np.isclose(ratio, 1.0, rtol=1e-5):
            raise ExerciseFailed(
                f"sigmoid_mse_grad is off by a constant factor for {what}: check the 2 and "
                f"the 1/n of the mean."
            )
        expect(np.allclose(got, expected, rtol=1e-5, atol=1e-9),
               f"sigmoid_mse_grad has the wrong values for {what}.")
