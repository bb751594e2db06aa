"""Checkers of the chapter on residual networks (``book/algorithms/residual.ipynb``).

Expected values are recomputed when a checker runs, from :class:`dlcourse.residual.Residual`
given the same weights, so nothing here stores an answer a student could read.
"""

from __future__ import annotations

import numpy as np

from ..layers import Dense
from ..residual import Residual
from .checking import as_array, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_residual_forward", "check_residual_backward"]


def _cases():
    """(x, W1, b1, W2, b2, upstream gradient g, what the case tests)."""
    rng = np.random.default_rng(2016)
    out = []
    for batch, width, hidden, what in ((4, 3, 5, "a batch of 4 rows, width 3, 5 hidden units"),
                                       (1, 6, 6, "a single row of width 6"),
                                       (7, 2, 8, "a wider branch (8 hidden units) on width 2")):
        x = rng.normal(size=(batch, width))
        W1, b1 = rng.normal(size=(width, hidden)), rng.normal(size=hidden)
        W2, b2 = rng.normal(size=(hidden, width)), rng.normal(size=width)
        out.append((x, W1, b1, W2, b2, rng.normal(size=(batch, width)), what))
    return out


def _block(W1, b1, W2, b2) -> Residual:
    first, second = Dense(*W1.shape, "relu", rng=0), Dense(*W2.shape, "linear", rng=0)
    first.params["W"][...], first.params["b"][...] = W1, b1
    second.params["W"][...], second.params["b"][...] = W2, b2
    return Residual([first, second])


def _copies(arrays):
    return [a.copy() for a in arrays]


@checker(
    hints=[
        "A residual block computes a branch and adds its input back: the shortcut.",
        "The branch is two dense layers, a ReLU after the first and nothing after the "
        "second; its output has the shape of the input.",
        "Return the branch's output plus the unchanged input x, without modifying any "
        "argument in place.",
    ]
)
def check_residual_forward(residual_forward):
    """Check ``residual_forward(x, W1, b1, W2, b2)`` against ``Residual.forward``."""
    _require_function(residual_forward, "residual_forward")
    for x, W1, b1, W2, b2, _, what in _cases():
        args = _copies((x, W1, b1, W2, b2))
        out = as_array(_call(residual_forward, *args), "residual_forward(...)", shape=x.shape)
        expect(all(np.array_equal(a, b) for a, b in zip(args, (x, W1, b1, W2, b2))),
               "residual_forward must not modify its inputs.")
        branch = _block(W1, b1, W2, b2).branch.forward(x)
        expect(not np.allclose(out, branch, atol=1e-9),
               f"residual_forward returns the branch F(x) alone for {what}: the shortcut "
               f"x is missing.")
        expect(np.allclose(out, _block(W1, b1, W2, b2).forward(x), atol=1e-9),
               f"residual_forward has the wrong values for {what}.")


@checker(
    hints=[
        "The input reaches the output along two paths, the shortcut and the branch; the "
        "gradient is the sum of what flows back along each.",
        "Through the shortcut the upstream gradient passes unchanged. Through the branch, "
        "go back layer by layer: the second dense layer, the ReLU, the first dense layer.",
        "Going back through a dense layer multiplies by its kernel transposed; going back "
        "through the ReLU keeps the gradient only where the first layer's output before "
        "the ReLU is positive, so recompute that output first.",
    ]
)
def check_residual_backward(residual_backward):
    """Check ``residual_backward(g, x, W1, b1, W2, b2)`` against ``Residual.backward``."""
    _require_function(residual_backward, "residual_backward")
    for x, W1, b1, W2, b2, g, what in _cases():
        args = _copies((g, x, W1, b1, W2, b2))
        out = as_array(_call(residual_backward, *args), "residual_backward(...)", shape=x.shape)
        expect(all(np.array_equal(a, b) for a, b in zip(args, (g, x, W1, b1, W2, b2))),
               "residual_backward must not modify its inputs.")
        block = _block(W1, b1, W2, b2)
        block.forward(x)
        expected = block.backward(g)
        expect(not np.allclose(out, expected - g, atol=1e-9),
               f"residual_backward returns only the gradient through the branch for {what}: "
               f"the shortcut's gradient g is missing.")
        expect(np.allclose(out, expected, atol=1e-9),
               f"residual_backward has the wrong values for {what}.")
