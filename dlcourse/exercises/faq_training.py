"""Checkers of the chapter "FAQ: training deep networks" (``book/faq/training.ipynb``).

One exercise is checked: the backward pass of a chain of sigmoid layers, plain or with
residual connections, reduced to one gradient norm per layer (the chapter's Figure 1
in NumPy). Expected values are recomputed with :mod:`dlcourse.activations` when the
checker runs, so nothing here stores an answer a student could read.
"""

from __future__ import annotations

import numpy as np

from .. import activations
from .checking import (
    ExerciseFailed,
    as_array,
    call_student,
    checker,
    expect,
    require_function,
)

__all__ = ["check_chain_grad_norms"]


def _chain_forward(x, weights, residual):
    """Inputs h_(l-1) and pre-activations z_l of every layer."""
    hs, zs, h = [], [], x
    for w in weights:
        z = h @ w
        hs.append(h)
        zs.append(z)
        h = h + activations.sigmoid(z) if residual else activations.sigmoid(z)
    return hs, zs


def reference_chain_grad_norms(x, weights, grad_out, residual=False, *, mistake=None):
    r"""||dL/dW_l|| for the chain h_l = sigma(h_(l-1) W_l) (+ h_(l-1) if residual).

    .. math:: \delta_l = g_l \odot \sigma'(z_l), \qquad
              \frac{\partial L}{\partial W_l} = h_{l-1}^\top \delta_l, \qquad
              g_{l-1} = \delta_l W_l^\top \;(+\, g_l \text{ if residual})

    ``mistake`` computes a known wrong variant, to recognise it in an answer:
    ``"no_derivative"`` (sigma' left out), ``"derivative_of_output"`` (sigma' taken at the
    layer's output instead of its pre-activation), ``"no_identity"`` (the residual
    path's own gradient g_l dropped).
    """
    hs, zs = _chain_forward(x, weights, residual)
    g, norms = grad_out, []
    for w, h_prev, z in zip(reversed(weights), reversed(hs), reversed(zs)):
        if mistake == "no_derivative":
            delta = g
        elif mistake == "derivative_of_output":
            a = activations.sigmoid(z)
            delta = g * activations.sigmoid_grad(a)
        else:
            delta = g * activations.sigmoid_grad(z)
        norms.append(np.linalg.norm(h_prev.T @ delta))
        g = delta @ w.T + (g if residual and mistake != "no_identity" else 0.0)
    return np.array(norms[::-1])


def _cases():
    """(x, weights, grad_out, residual, what the case tests)."""
    rng = np.random.default_rng(2010)
    cases = []
    dims = [5, 4, 3, 6]  # one layer of each shape, so transposes cannot be mixed up
    x = rng.normal(size=(7, dims[0]))
    ws = [rng.normal(size=(a, b)) for a, b in zip(dims[:-1], dims[1:])]
    cases.append((x, ws, rng.normal(size=(7, dims[-1])), False,
                  "a plain chain of 3 layers of different widths"))
    cases.append((x, ws[:1], rng.normal(size=(7, dims[1])), False, "a single layer"))
    w = 8
    x = rng.normal(size=(16, w))
    ws = [rng.normal(scale=1 / np.sqrt(w), size=(w, w)) for _ in range(12)]
    g = rng.normal(size=(16, w))
    cases.append((x, ws, g, False, "a plain chain of 12 square layers"))
    cases.append((x, ws, g, True, "a residual chain of 12 square layers"))
    cases.append((x[:3], ws[:3], g[:3], True, "a residual chain of 3 layers"))
    return cases


@checker(
    hints=[
        "Run the network forward once, keeping what each layer receives and computes; "
        "then go backward from the output gradient.",
        "At each layer going down, multiply the incoming gradient by the sigmoid's "
        "derivative at that layer's pre-activation; that delta gives the weight gradient "
        "(with the layer's input) and the gradient for the layer below (with the layer's "
        "weights).",
        "In a residual layer the gradient that reaches the layer below also carries the "
        "incoming gradient itself, unchanged. Record the Frobenius norm (NumPy's "
        "linalg.norm of a matrix) of each weight gradient, in layer order.",
    ]
)
def check_chain_grad_norms(chain_grad_norms):
    """Check ``chain_grad_norms(x, weights, grad_out, residual=False) -> (L,) norms``."""
    require_function(chain_grad_norms, "chain_grad_norms")
    for x, weights, grad_out, residual, what in _cases():
        copies = [x.copy(), [w.copy() for w in weights], grad_out.copy()]
        with np.errstate(all="ignore"):
            out = call_student(chain_grad_norms, copies[0], copies[1], copies[2],
                               residual=residual)
        got = as_array(out, "chain_grad_norms(...)")
        expect(got.shape == (len(weights),),
               f"chain_grad_norms must return one norm per layer, a 1-D array of shape "
               f"({len(weights)},) for {what}; received shape {got.shape}.")
        expect(np.array_equal(copies[0], x) and np.array_equal(copies[2], grad_out)
               and all(np.array_equal(a, b) for a, b in zip(copies[1], weights)),
               "chain_grad_norms must not modify x, the weights or grad_out.")
        expected = reference_chain_grad_norms(x, weights, grad_out, residual)
        if np.allclose(got, expected, rtol=1e-6, atol=1e-300):
            continue
        if np.allclose(got[::-1], expected, rtol=1e-6, atol=1e-300) and len(weights) > 1:
            raise ExerciseFailed(f"the norms are in reverse order for {what}: return the "
                                 f"first layer's norm first.")
        for mistake, message in (
            ("no_derivative", "the sigmoid's derivative is missing from the backward pass"),
            ("derivative_of_output", "sigma' is taken at the layer's output sigma(z) instead "
                                     "of at its pre-activation z"),
            ("no_identity", "the gradient does not flow through the residual (identity) "
                            "path: with h_l = h_(l-1) + sigma(z_l), dL/dh_(l-1) also "
                            "receives dL/dh_l itself"),
        ):
            if mistake == "no_identity" and not residual:
                continue
            wrong = reference_chain_grad_norms(x, weights, grad_out, residual, mistake=mistake)
            if np.allclose(got, wrong, rtol=1e-6, atol=1e-300):
                raise ExerciseFailed(f"{message} ({what}).")
        if not residual and len(weights) > 1 and np.isclose(got[-1], expected[-1], rtol=1e-6):
            raise ExerciseFailed(f"the last layer's norm is right but the lower layers' are "
                                 f"not, for {what}: check the gradient you pass down, "
                                 f"delta @ W_l.T.")
        raise ExerciseFailed(f"the norms are wrong for {what}.")
