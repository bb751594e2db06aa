"""Checkers of the chapter on activation functions (``book/core/activations.ipynb``).

Expected values are recomputed when a checker runs (from :mod:`dlcourse.activations`,
or by the stable log-softmax formula), so nothing here stores an answer a student could
read. A student's function may
overflow (a naive softmax does, at scores of 1000) or take the log of 0: the checkers call it with NumPy's
floating-point warnings silenced, so a wrong answer shows as a failure message and
not as a RuntimeWarning on stderr.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import activations
from .checking import ExerciseFailed, as_array, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_log_softmax", "check_stacked_sigmoid_grad"]


def _array_result(out, name: str, shape) -> np.ndarray:
    """Like checking.as_array, but NaN/inf get a message about overflow."""
    __tracebackhide__ = True
    expect(out is not None, f"{name} returned None: did you forget the return statement?")
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            f"{name} should return an array of numbers; it returned a {type(out).__name__}."
        ) from None
    expect(arr.shape == tuple(shape),
           f"{name} returned shape {arr.shape}; expected shape {tuple(shape)}, the shape of "
           f"its input.")
    return arr


# -------------------------------------------------------------------------- log_softmax


def _log_softmax_cases():
    """(scores, what the case tests)."""
    rng = np.random.default_rng(2017)
    return [
        (np.array([1.0, 2.0, 3.0]), "a vector of three moderate scores"),
        (np.array([0.0, 0.0]), "two equal scores"),
        (rng.normal(size=(4, 5)), "a batch of 4 rows of 5 scores (one log-softmax per row)"),
        (np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]),
         "a batch whose rows differ (normalise along the last axis, not over the whole array)"),
        (np.array([1000.0, 1001.0, 1002.0]), "large scores (1000 and more)"),
        (np.array([-1000.0, -1000.5, -999.0]), "large negative scores (-1000)"),
        (np.array([[800.0, 0.0, -800.0], [3.0, 2.0, 1.0]]),
         "scores 800 apart, whose softmax underflows to 0"),
    ]


def _log_softmax_reference(z: np.ndarray) -> np.ndarray:
    """log softmax(z) along the last axis, by the stable formula
    log p_j = (z_j - m) - log sum_k e^{z_k - m} with m = max_k z_k."""
    shifted = z - z.max(axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


@checker(
    hints=[
        "Taking the log of softmax fails where a probability underflows to zero: work in "
        "the log domain from the start.",
        "The log of a softmax is each score minus the log of the sum of the exponentials "
        "of all scores of its row; only that log-sum-exp needs care.",
        "Compute the log-sum-exp with the max-subtraction trick of the chapter: subtract "
        "the row's largest score before exponentiating and add it back after the log. "
        "Reduce along the last axis and keep that axis so the result broadcasts against "
        "the scores.",
    ]
)
def check_log_softmax(log_softmax):
    """Check ``log_softmax(z)``: a numerically stable log-softmax over the last axis."""
    _require_function(log_softmax, "log_softmax")
    for z, what in _log_softmax_cases():
        z_in = z.copy()
        out = _array_result(_call(log_softmax, z_in), "log_softmax(z)", z.shape)
        expect(np.array_equal(z_in, z), "log_softmax must not modify its input z.")
        if not np.all(np.isfinite(out)):
            raise ExerciseFailed(
                f"log_softmax(z) contains NaN or infinity for {what}: an exp overflowed, "
                f"or the log of a probability that underflowed to 0 was taken."
            )
        expect(np.all(out <= 1e-6), f"log_softmax(z) has positive entries for {what}; "
                                     f"the log of a probability is at most 0.")
        with np.errstate(under="ignore"):
            total = np.exp(out).sum(axis=-1)
        # float32 arithmetic is a fair way to compute it: 1e-5 relative is float32's reach
        expect(np.allclose(total, 1.0, atol=1e-5),
               f"exp(log_softmax(z)) does not sum to 1 (to 1e-5) along the last axis for {what}.")
        expect(np.allclose(out, _log_softmax_reference(z), rtol=1e-5, atol=1e-6),
               f"log_softmax(z) has the wrong values for {what} (compared to 1e-5 relative, "
               f"1e-6 absolute, so float32 passes).")


# ------------------------------------------------------------------ stacked_sigmoid_grad

_X = np.linspace(-4.0, 4.0, 9)


def _stacked_reference(x: np.ndarray, k: int) -> np.ndarray:
    """d/dx of sigma applied k times, by the chain rule, from dlcourse.activations."""
    h, grad = x, np.ones_like(x)
    for _ in range(k):
        grad = grad * activations.sigmoid_grad(h)
        h = activations.sigmoid(h)
    return grad


@checker(
    hints=[
        "A stack of sigmoids is a composition: its derivative is a product, by the chain "
        "rule.",
        "Go through the k sigmoids from the inside out. At each one you need the value "
        "that goes into it and the derivative of the sigmoid at that value.",
        "Keep two running quantities: the current value (starting at x) and the product "
        "of derivatives so far (starting at one). dlcourse.activations has the sigmoid "
        "and its derivative; multiply by the derivative at the current value before you "
        "move the value through the sigmoid.",
    ]
)
def check_stacked_sigmoid_grad(stacked_sigmoid_grad):
    """Check ``stacked_sigmoid_grad(x, k)``: the derivative of k nested sigmoids at x."""
    _require_function(stacked_sigmoid_grad, "stacked_sigmoid_grad")
    for k in (1, 2, 3, 5, 10):
        x = _X.copy()
        out = _array_result(_call(stacked_sigmoid_grad, x, k),
                            f"stacked_sigmoid_grad(x, {k})", _X.shape)
        expect(np.all(np.isfinite(out)), f"stacked_sigmoid_grad(x, {k}) contains NaN or infinity.")
        expect(np.array_equal(x, _X), "stacked_sigmoid_grad must not modify its input x.")
        expected = _stacked_reference(_X, k)
        if np.allclose(out, expected, rtol=1e-6, atol=1e-15):
            continue
        if k == 1:
            raise ExerciseFailed("stacked_sigmoid_grad(x, 1) is not the derivative of one "
                                 "sigmoid, sigma'(x) = sigma(x) (1 - sigma(x)).")
        if np.allclose(out, activations.sigmoid_grad(_X) ** k, rtol=1e-6, atol=1e-15):
            raise ExerciseFailed(
                f"stacked_sigmoid_grad(x, {k}) multiplies sigma'(x) by itself; each factor "
                f"must be taken at that layer's own input, sigma'(h) with h the output of "
                f"the sigmoids below it."
            )
        raise ExerciseFailed(f"stacked_sigmoid_grad(x, {k}) has the wrong values "
                             f"(k = 1 is right).")
    scalar_hint = ("stacked_sigmoid_grad must accept a single number x too (use NumPy "
                   "functions that work on scalars and arrays alike)")
    try:
        scalar = np.asarray(_call(stacked_sigmoid_grad, 0.5, 2), dtype=float)
    except (ExerciseFailed, TypeError, ValueError) as err:
        raise ExerciseFailed(f"{scalar_hint}; with x = 0.5 {str(err).rstrip('.')}.") from None
    expect(scalar.size == 1 and np.allclose(scalar, _stacked_reference(np.array(0.5), 2),
                                            rtol=1e-6),
           f"{scalar_hint}: with x = 0.5 and k = 2 it returns a wrong value.")
