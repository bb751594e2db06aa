"""Checkers of the chapter on backpropagation (``book/core/backpropagation.ipynb``).

Expected values are recomputed when a checker runs, from :mod:`dlcourse.activations`
(article 004's neuron) and :class:`dlcourse.layers.Dense` (the dense layer's backward
pass), so nothing here stores an answer a student could read.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import activations, layers
from .checking import ExerciseFailed, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_neuron_grad", "check_dense_backward"]


def _float_array(out, what: str) -> np.ndarray:
    __tracebackhide__ = True
    expect(out is not None, f"{what} is None: did you forget the return statement?")
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            f"{what} should be an array of numbers; it is a {type(out).__name__}."
        ) from None
    return arr


# --------------------------------------------------------------------------- neuron_grad


def _neuron_cases():
    """(w, x, y_true, what the case tests); no case has z = 0 exactly."""
    rng = np.random.default_rng(2004)
    cases = [
        (np.array([0.3, -0.6]), np.array([2.0, 0.5]), 1.0,
         "the ReLU on (z > 0) and the output below the target"),
        (np.array([1.0, 1.0]), np.array([2.0, 1.0]), 0.5,
         "the ReLU on (z > 0) and the output above the target"),
        (np.array([-1.0, 0.5]), np.array([2.0, 1.0]), 1.0,
         "the ReLU off (z < 0)"),
        (np.array([0.7, 0.2]), np.array([0.0, 3.0]), -1.0,
         "an input with x1 = 0"),
    ]
    for _ in range(3):
        w, x = rng.normal(size=2), rng.normal(size=2)
        if abs(w @ x) < 0.1:
            x = x + 0.5 * np.sign(w @ x or 1.0) * w
        cases.append((w, x, float(rng.normal()), "random weights, input and target"))
    return cases


def _neuron_reference(w: np.ndarray, x: np.ndarray, y_true: float) -> np.ndarray:
    """2 (y - y_true) 1[z > 0] x, with the ReLU and its derivative from dlcourse."""
    z = np.array([w @ x])
    return 2.0 * (activations.relu(z)[0] - y_true) * activations.relu_grad(z)[0] * x


@checker(
    hints=[
        "Apply the chain rule through the three steps of the neuron: the loss, the ReLU "
        "and the weighted sum.",
        "Multiply three factors: the derivative of the squared error with respect to the "
        "output, the derivative of the ReLU at the pre-activation (one or zero), and the "
        "derivative of the weighted sum with respect to each weight.",
        "The neuron of article 004 has no bias; the derivative of the weighted sum with "
        "respect to a weight is the matching input. Return both partial derivatives "
        "together as one array of shape (2,).",
    ]
)
def check_neuron_grad(neuron_grad):
    """Check ``neuron_grad(w, x, y_true)``: the gradient of article 004's neuron."""
    _require_function(neuron_grad, "neuron_grad")
    for w, x, y_true, what in _neuron_cases():
        w_in, x_in = w.copy(), x.copy()
        got = _float_array(_call(neuron_grad, w_in, x_in, y_true), "the result of neuron_grad")
        expect(got.shape == (2,),
               f"neuron_grad returned shape {got.shape} for {what}; return an array of "
               f"shape (2,): (dL/dw1, dL/dw2).")
        expect(np.all(np.isfinite(got)), f"neuron_grad returned NaN or infinity for {what}.")
        expect(np.array_equal(w_in, w) and np.array_equal(x_in, x),
               "neuron_grad must not modify its inputs w and x.")
        expected = _neuron_reference(w, x, y_true)
        if np.all(expected == 0.0):
            expect(np.allclose(got, 0.0, atol=1e-12),
                   f"neuron_grad is wrong for {what}: when the ReLU is off, its output does "
                   f"not change with the weights.")
            continue
        if np.allclose(got, -expected, rtol=1e-9, atol=1e-12):
            raise ExerciseFailed(f"neuron_grad has the wrong sign for {what}.")
        if np.allclose(got, expected / 2, rtol=1e-9, atol=1e-12):
            raise ExerciseFailed(
                f"neuron_grad is half the gradient for {what}: the derivative of a square "
                f"brings down a factor 2.")
        expect(np.allclose(got, expected, rtol=1e-9, atol=1e-12),
               f"neuron_grad has the wrong values for {what}.")


# ------------------------------------------------------------------------ dense_backward


def _dense_cases():
    """(x, W, delta, what the case tests)."""
    rng = np.random.default_rng(1986)
    cases = []
    for n, n_in, n_out, what in ((4, 3, 2, "a batch of 4 examples, 3 inputs, 2 units"),
                                 (1, 5, 1, "a single example, 5 inputs, 1 unit"),
                                 (6, 2, 4, "a batch of 6 examples, 2 inputs, 4 units")):
        cases.append((rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)),
                      rng.normal(size=(n, n_out)), what))
    return cases


def _dense_reference(x: np.ndarray, w: np.ndarray, delta: np.ndarray):
    """(dW, db, dx) from dlcourse.layers.Dense with a linear activation."""
    layer = layers.Dense(w.shape[0], w.shape[1], "linear", rng=0)
    layer.params["W"][...] = w
    layer.forward(x)
    dx = layer.backward(delta)
    return layer.grads["W"].copy(), layer.grads["b"].copy(), dx


@checker(
    hints=[
        "Each gradient has the shape of what it is the gradient of: dW like W, db like "
        "the bias, dx like x.",
        "Every gradient is built from delta and one other ingredient: the inputs for dW, "
        "nothing for db, the weights for dx.",
        "Match shapes to find the products: dW pairs the transposed inputs with delta, db"
        " sums delta over the batch axis, dx pairs delta with the transposed weights.",
    ]
)
def check_dense_backward(dense_backward):
    """Check ``dense_backward(x, W, delta) -> (dW, db, dx)`` for a dense layer."""
    _require_function(dense_backward, "dense_backward")
    for x, w, delta, what in _dense_cases():
        ins = (x.copy(), w.copy(), delta.copy())
        out = _call(dense_backward, *ins)
        expect(out is not None, "dense_backward returned None: did you forget the return "
                                "statement?")
        expect(isinstance(out, (tuple, list)) and len(out) == 3,
               f"dense_backward must return a tuple (dW, db, dx); it returned "
               f"{type(out).__name__}"
               + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."))
        dw, db, dx = (_float_array(v, name) for v, name in zip(out, ("dW", "db", "dx")))
        n, n_in = x.shape
        n_out = w.shape[1]
        expect(dw.shape != (n_out, n_in) or n_in == n_out,
               f"dW has shape {dw.shape} for {what}, the shape of W transposed; it must have "
               f"the shape of W, {w.shape}.")
        expect(dw.shape == w.shape,
               f"dW has shape {dw.shape} for {what}; it must have the shape of W, {w.shape}.")
        expect(db.shape != (n, n_out) or n == 1,
               f"db has shape {db.shape} for {what}, one row per example: the bias is shared "
               f"by the whole batch, so add up its gradient over the examples.")
        expect(db.shape == (n_out,) or (n == 1 and db.shape == (1, n_out)),
               f"db has shape {db.shape} for {what}; it must have shape ({n_out},), one entry "
               f"per unit.")
        expect(dx.shape == x.shape,
               f"dx has shape {dx.shape} for {what}; it must have the shape of x, {x.shape}.")
        for arr, name in ((dw, "dW"), (db, "db"), (dx, "dx")):
            expect(np.all(np.isfinite(arr)), f"{name} contains NaN or infinity for {what}.")
        expect(all(np.array_equal(a, b) for a, b in zip(ins, (x, w, delta))),
               "dense_backward must not modify its inputs x, W and delta.")
        ref_w, ref_b, ref_x = _dense_reference(x, w, delta)
        for arr, ref, name in ((dw, ref_w, "dW"), (db.reshape(ref_b.shape), ref_b, "db"),
                               (dx, ref_x, "dx")):
            expect(np.allclose(arr, ref, rtol=1e-9, atol=1e-12),
                   f"{name} has the wrong values for {what}.")
