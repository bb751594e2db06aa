"""Checkers of the chapter on gradient descent (``book/algorithms/gradient_descent.ipynb``).

Expected values are recomputed when a checker runs: the learning rates from the
eigenvalues of the exercise's Hessian, the momentum paths with
:func:`dlcourse.optimizers.minimize` and :class:`dlcourse.optimizers.SGD`. Nothing
here stores an answer a student could read, and no failure message contains one.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import optimizers
from .checking import ExerciseFailed, as_float, checker, expect
from .checking import call_student as _call

__all__ = ["check_learning_rates", "check_momentum_path", "EXERCISE_HESSIAN"]

#: The Hessian of exercise ex-gradient_descent-2.
EXERCISE_HESSIAN = np.array([[4.0, 1.0], [1.0, 2.0]])

_RTOL = 1e-3  # three significant digits: a rounded answer such as 0.453 passes


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _RTOL * abs(b)


@checker(hints=[
        "Both rates come from the curvature of the quadratic: the eigenvalues of its "
        "Hessian.",
        "The steepest direction limits stability; the best fixed rate balances the "
        "steepest and the flattest direction.",
        "Compute the eigenvalues of H (NumPy's eigvalsh, since H is symmetric) and apply "
        "the two rules of the chapter's section on the learning rate of a quadratic.",
    ])
def check_learning_rates(eta_max, eta_best):
    """``eta_max`` = 2 / lambda_max and ``eta_best`` = 2 / (lambda_min + lambda_max)."""
    eta_max = as_float(eta_max, "eta_max")
    eta_best = as_float(eta_best, "eta_best")
    lo, hi = np.linalg.eigvalsh(EXERCISE_HESSIAN)
    want_max, want_best = 2.0 / hi, 2.0 / (lo + hi)
    expect(eta_max > 0 and eta_best > 0, "learning rates are positive numbers.")
    if _close(eta_max, want_best) and _close(eta_best, want_max):
        raise ExerciseFailed("the two values are swapped: pass eta_max first, then eta_best.")
    if not _close(eta_max, want_max):
        if _close(eta_max, 1.0 / hi):
            msg = ("eta_max is the largest rate for which the steep direction shrinks "
                   "monotonically; gradient descent still converges (zig-zagging) above it.")
        elif _close(eta_max, 2.0 / lo):
            msg = ("eta_max uses the flattest direction; the steepest direction diverges "
                   "first, at a smaller learning rate.")
        elif _close(eta_max, 2.0 / np.trace(EXERCISE_HESSIAN)) or _close(eta_max, 2.0 / EXERCISE_HESSIAN.max()):
            msg = ("eta_max should come from an eigenvalue of H, not from its entries or "
                   "its trace.")
        else:
            msg = "eta_max is not the divergence threshold of gradient descent on this H."
        raise ExerciseFailed(msg)
    expect(eta_best < eta_max,
           "eta_best must be below eta_max: a rate above the threshold diverges.")
    if not _close(eta_best, want_best):
        if _close(eta_best, 1.0 / hi) or _close(eta_best, 1.0 / lo):
            msg = ("eta_best makes one direction converge in one step, but then the other "
                   "direction's factor |1 - eta * lambda| is large; balance the two.")
        else:
            msg = ("eta_best is not the rate that minimises the slowest factor "
                   "max_i |1 - eta * lambda_i|.")
        raise ExerciseFailed(msg)


# --------------------------------------------------------------------- momentum_path


def _rosenbrock_grad(w):
    x, y = w
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])


def _momentum_cases():
    """(grad_fn, w0, learning_rate, momentum, steps, what the case is)."""
    scale3 = np.array([3.0])
    elongated = np.diag([1.0, 10.0])
    return [
        (lambda w: scale3 * w, np.array([1.0]), 0.1, 0.9, 20,
         "a 1-D quadratic L = 1.5 w^2"),
        (lambda w: elongated @ w, np.array([-2.0, 1.0]), 0.05, 0.5, 30,
         "a 2-D elongated quadratic"),
        (lambda w: elongated @ w, np.array([1.0, 1.0]), 0.1, 0.0, 10,
         "momentum = 0 (plain gradient descent)"),
        (_rosenbrock_grad, np.array([-1.0, 1.0]), 1e-3, 0.9, 50,
         "the Rosenbrock function (a curved valley)"),
    ]


@checker(hints=[
        "Momentum keeps a velocity that accumulates past gradients; the weights move by "
        "the velocity.",
        "Start the velocity at zero. At each step decay it by the momentum, subtract the "
        "learning rate times the current gradient, then add it to the weights.",
        "Record the starting point and every new position, one row per point, so that the"
        " path has one more row than there are steps. Follow Keras's SGD order: update "
        "the velocity first, then the weights.",
    ])
def check_momentum_path(momentum_path):
    """``momentum_path(grad_fn, w0, learning_rate, momentum, steps)`` follows Keras's rule."""
    expect(momentum_path is not None and momentum_path is not Ellipsis,
           "momentum_path is a placeholder: define the function first.")
    expect(callable(momentum_path),
           "pass the function itself (momentum_path), not the result of calling it.")
    for grad_fn, w0, lr, mu, steps, what in _momentum_cases():
        given = w0.copy()
        out = _call(momentum_path, grad_fn, given, lr, mu, steps)
        expect(out is not None, "momentum_path returned None: did you forget the return statement?")
        try:
            path = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"momentum_path should return an array of numbers; it returned a {type(out).__name__}."
            ) from None
        shape = (steps + 1, w0.size)
        expect(path.shape == shape,
               f"on {what} with steps={steps}, momentum_path returned shape {path.shape}; "
               f"expected {shape}: one row per point, w0 first, then one row per step.")
        expect(np.array_equal(given, w0), "momentum_path changed w0 in place; work on a copy.")
        expect(np.all(np.isfinite(path)), f"on {what} the path contains NaN or infinity.")
        expect(np.allclose(path[0], w0, rtol=0, atol=1e-12), "the first row of the path must be w0.")
        want = optimizers.minimize(grad_fn, w0, optimizers.SGD(lr, momentum=mu), steps)
        wrong = np.flatnonzero(~np.all(np.isclose(path, want, rtol=1e-9, atol=1e-12), axis=1))
        if wrong.size:
            k = int(wrong[0])
            detail = ("the first step is already different (with v = 0 it is plain "
                      "gradient descent: w1 = w0 - learning_rate * grad)") if k == 1 else (
                      f"the first {k - 1} step(s) agree, step {k} differs: check how the "
                      f"velocity is carried from step to step")
            raise ExerciseFailed(f"on {what} (learning_rate={lr}, momentum={mu}): {detail}.")
