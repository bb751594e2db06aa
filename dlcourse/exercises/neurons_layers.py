"""Checkers of the chapter on neurons, layers and weights (``book/core/neurons_layers.ipynb``).

Expected values are recomputed from :mod:`dlcourse.layers` when a checker runs (a
network of :class:`~dlcourse.layers.Dense` layers counts its own parameters and
computes its own outputs), so nothing here stores an answer a student could read.
"""

from __future__ import annotations

import numpy as np

from .. import layers
from .checking import ExerciseFailed, as_array, as_int, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_count_params", "check_collapse"]


def _dense_net(sizes) -> layers.Sequential:
    """Linear Dense layers of the given sizes: the reference network."""
    return layers.Sequential(
        [layers.Dense(a, b, rng=i) for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]
    )


# ------------------------------------------------------------------------- count_params

#: (sizes, what the case tests): a one-neuron model, the article's 10-64-1 classifier,
#: the digits MLP, an MNIST-sized MLP, a deep narrow stack and a wide first layer.
_SIZE_CASES = [
    ([2, 1], "a single neuron with two inputs"),
    ([1, 1], "a single neuron with one input (linear regression)"),
    ([10, 64, 1], "article 002's network (10 inputs, 64 hidden units, 1 output)"),
    ([64, 32, 16, 10], "a digits classifier with two hidden layers"),
    ([784, 128, 10], "an MNIST-sized network"),
    ([3, 5, 5, 5, 5, 2], "a deep, narrow network"),
]


@checker(
    hints=[
        "Count layer by layer; the input layer has no parameters.",
        "A dense layer has one weight for every pair of an input and a neuron, and one "
        "bias per neuron.",
        "Add that count over each pair of consecutive sizes in the list and return a "
        "whole number.",
    ]
)
def check_count_params(count_params):
    """Check ``count_params(sizes) -> int`` for a fully connected network."""
    _require_function(count_params, "count_params")
    for sizes, what in _SIZE_CASES:
        out = _call(count_params, list(sizes))
        n = as_int(out, f"count_params({sizes})")
        expected = _dense_net(sizes).n_params
        if n != expected:
            if n == sum(a * b for a, b in zip(sizes[:-1], sizes[1:])):
                raise ExerciseFailed(
                    f"count_params({sizes}) ({what}) counts the weights but not the biases."
                )
            raise ExerciseFailed(f"count_params({sizes}) ({what}) returned {n}, which is wrong.")
    out = _call(count_params, tuple(_SIZE_CASES[2][0]))
    expect(as_int(out, "count_params(a tuple)") == _dense_net(_SIZE_CASES[2][0]).n_params,
           "count_params must accept any sequence of sizes, a tuple as well as a list.")


# ----------------------------------------------------------------------------- collapse


def _collapse_cases():
    """(sizes, what the case tests); weights are drawn from a fixed generator."""
    return [
        ([3, 2], "one layer (nothing to collapse: return it unchanged)"),
        ([2, 4, 1], "two layers"),
        ([3, 5, 4, 2], "three layers"),
        ([4, 1, 6, 3], "three layers with a one-unit bottleneck"),
    ]


@checker(
    hints=[
        "A stack of linear layers without activations is itself one linear layer.",
        "Substitute one layer into the next: the weights multiply together, and each bias"
        " is carried through every later weight matrix.",
        "Loop over the layers keeping a running weight matrix and a running bias; at each"
        " layer multiply both by the layer's weights (matrix product) and add the layer's"
        " bias to the running bias.",
    ]
)
def check_collapse(collapse):
    """Check ``collapse(weights, biases) -> (W, b)``: one linear layer equal to a stack."""
    _require_function(collapse, "collapse")
    for sizes, what in _collapse_cases():
        net = _dense_net(sizes)
        draw = np.random.default_rng(sum(sizes))
        for layer in net.layers:  # non-zero biases, so forgetting one shows
            layer.params["b"][...] = draw.normal(size=layer.params["b"].shape)
        weights = [layer.params["W"].copy() for layer in net.layers]
        biases = [layer.params["b"].copy() for layer in net.layers]
        out = _call(collapse, weights, biases)
        originals = [l.params["W"] for l in net.layers] + [l.params["b"] for l in net.layers]
        expect(len(weights) + len(biases) == len(originals)
               and all(np.array_equal(got, kept) for got, kept in zip(weights + biases, originals)),
               "collapse must not modify the arrays (or the lists) it receives.")
        expect(isinstance(out, (tuple, list)) and len(out) == 2,
               f"collapse must return a pair (W, b); for {what} it returned "
               f"{type(out).__name__}.")
        n_in, n_out = sizes[0], sizes[-1]
        w = as_array(out[0], "W", shape=(n_in, n_out))
        b = as_array(out[1], "b")
        expect(b.shape in ((n_out,), (1, n_out)),
               f"b must have shape ({n_out},), one bias per output; for {what} it has "
               f"shape {b.shape}.")
        b = b.reshape(-1)
        # The reference: the stack's own outputs at x = 0 (the bias) and x = e_i (+ row i of W).
        ref_b = net.forward(np.zeros((1, n_in)))[0]
        ref_w = net.forward(np.eye(n_in)) - ref_b
        if not np.allclose(w, ref_w, rtol=1e-9, atol=1e-12):
            raise ExerciseFailed(f"W is wrong for {what}.")
        if not np.allclose(b, ref_b, rtol=1e-9, atol=1e-12):
            raise ExerciseFailed(f"W is right but b is wrong for {what}: each bias passes "
                                 f"through the weight matrices of the layers after it.")
        x = draw.normal(size=(5, n_in))
        expect(np.allclose(x @ w + b, net.forward(x), rtol=1e-9, atol=1e-12),
               f"x @ W + b differs from the stack's output for {what}.")
