"""Checkers of the chapter "Linear regression with Keras" (``book/code/linear_regression.ipynb``).

Expected values are recomputed when a checker runs: the least-squares line with
``np.linalg.lstsq`` on data from :func:`dlcourse.data.make_linear`, and the
gradient of the MSE with :func:`dlcourse.losses.mse_grad`, so nothing here stores
an answer a student could read.
"""

from __future__ import annotations

import numpy as np

from .. import data, losses
from .checking import ExerciseFailed, as_array, as_float, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_least_squares", "check_gradient_step"]


def _pair(out, name: str, what: str) -> tuple[float, float]:
    """The student's ``(w, b)`` as two floats, or a failure saying what came back."""
    __tracebackhide__ = True
    expect(isinstance(out, (tuple, list)) and len(out) == 2,
           f"{name} must return a pair (w, b) of numbers; for {what} it returned "
           f"{type(out).__name__}" + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else "")
           + ".")
    return as_float(out[0], f"w returned by {name}"), as_float(out[1], f"b returned by {name}")


def _lstsq_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept minimising the squared error (the reference)."""
    design = np.column_stack([x.ravel(), np.ones(x.size)])
    (w, b), *_ = np.linalg.lstsq(design, y.ravel(), rcond=None)
    return float(w), float(b)


# ------------------------------------------------------------------ least squares


def _line_cases():
    """(x, y, what the case is): x and y of shape (n, 1), as make_linear returns."""
    exact_x = np.arange(5.0).reshape(-1, 1)
    return [
        (exact_x, 4.0 * exact_x - 1.0,
         "five points lying exactly on a line (your line must pass through all of them)"),
        (*data.make_linear(), "the chapter's data, make_linear()"),
        (*data.make_linear(n=40, slope=-2.0, seed=7), "make_linear(n=40, slope=-2.0, seed=7)"),
        (*(lambda d: (10.0 * d.x + 5.0, d.y))(data.make_linear(n=30, slope=0.5, seed=3)),
         "30 points with x between 5 and 15 (far from 0, so the intercept matters)"),
    ]


@checker(
    hints=[
        "The least-squares line is where the partial derivatives of the mean squared "
        "error with respect to the slope and the intercept are both zero.",
        "Setting them to zero gives the slope from the covariance of x and y and the "
        "variance of x; the intercept then makes the line pass through the point of "
        "means.",
        "Or let NumPy's lstsq solve it, with a column of ones beside x for the intercept."
        " Return two plain numbers, the slope and the intercept.",
    ]
)
def check_least_squares(least_squares):
    """Check ``least_squares(x, y) -> (w, b)``, the line minimising the squared error."""
    _require_function(least_squares, "least_squares")
    for x, y, what in _line_cases():
        x_in, y_in = x.copy(), y.copy()
        w, b = _pair(_call(least_squares, x_in, y_in), "least_squares", what)
        ref_w, ref_b = _lstsq_line(x, y)
        expect(np.array_equal(x_in, x) and np.array_equal(y_in, y),
               "least_squares must not modify x or y.")
        if abs(w - ref_b) < 1e-6 and abs(b - ref_w) < 1e-6 and abs(ref_w - ref_b) > 1e-3:
            raise ExerciseFailed(f"for {what} you seem to return (b, w): return the slope first.")
        expect(abs(w - ref_w) <= 1e-6 * max(1.0, abs(ref_w)),
               f"the slope w is wrong for {what}.")
        expect(abs(b - ref_b) <= 1e-6 * max(1.0, abs(ref_b)),
               f"the slope is right but the intercept b is wrong for {what}.")


# ------------------------------------------------------------------ gradient step


def _step_cases():
    """(w, b, x, y, learning_rate, what the case is)."""
    lin = data.make_linear()
    small = data.make_linear(n=7, slope=-1.0, seed=11)
    return [
        (0.0, 0.0, lin.x, lin.y, 0.1, "w = b = 0 on the chapter's data, learning rate 0.1"),
        (2.5, 1.0, lin.x, lin.y, 0.5, "w = 2.5, b = 1.0 on the chapter's data, learning rate 0.5"),
        (-0.3, 0.2, small.x, small.y, 0.05, "seven points, learning rate 0.05"),
    ]


def _reference_step(w, b, x, y, lr):
    g = losses.mse_grad(y, w * x + b)  # dL/dy_hat, already divided by n
    return w - lr * float(np.sum(g * x)), b - lr * float(np.sum(g))


@checker(
    hints=[
        "One step of gradient descent moves each parameter against its gradient, scaled "
        "by the learning rate.",
        "Differentiate the mean squared error of the line with respect to the slope and "
        "the intercept by the chain rule; both gradients involve the residuals, the "
        "predictions minus the targets.",
        "The slope's gradient weights each residual by its input, the intercept's does "
        "not; both carry the factor two of the square and a mean over the examples. "
        "Return the new pair.",
    ]
)
def check_gradient_step(gradient_step):
    """Check ``gradient_step(w, b, x, y, learning_rate) -> (w, b)`` on the MSE."""
    _require_function(gradient_step, "gradient_step")
    for w, b, x, y, lr, what in _step_cases():
        new_w, new_b = _pair(_call(gradient_step, w, b, x.copy(), y.copy(), lr),
                             "gradient_step", what)
        ref_w, ref_b = _reference_step(w, b, x, y, lr)
        dw, db = new_w - w, new_b - b            # the student's step
        rw, rb = ref_w - w, ref_b - b            # the reference step
        close = np.allclose([new_w, new_b], [ref_w, ref_b], rtol=1e-9, atol=1e-12)
        if not close and np.allclose([dw, db], [-rw, -rb], rtol=1e-6, atol=1e-12):
            raise ExerciseFailed(f"for {what} your step goes uphill: subtract the gradient.")
        if not close and np.allclose([dw, db], [rw / 2, rb / 2], rtol=1e-6, atol=1e-12):
            raise ExerciseFailed(
                f"for {what} your step is half as long as it should be: the MSE in the "
                f"1/n form has a factor 2 in its derivative (the 1/(2n) form does not)."
            )
        expect(close, f"the new (w, b) is wrong for {what}.")
