"""Checkers of the FAQ chapter "Model compression and deployment"."""

from __future__ import annotations

import numpy as np

from .. import activations
from .checking import as_array, call_student, checker, expect, require_function

__all__ = ["check_prune", "check_soften"]


@checker(hints=[
        "Magnitude pruning zeroes the weights closest to zero and keeps the others "
        "unchanged.",
        "Find the threshold below which the requested fraction of the magnitudes lies.",
        "A quantile of the absolute values gives that threshold; keep the weights whose "
        "magnitude exceeds it and set the rest to zero, in a new array of the same shape.",
    ])
def check_prune(fn):
    """``fn(w, sparsity)`` zeroes the smallest-magnitude fraction of ``w``."""
    require_function(fn, "prune")
    w = np.random.default_rng(3).normal(size=(12, 10))
    original = w.copy()
    for s in (0.0, 0.5, 0.9):
        got = as_array(call_student(fn, w, s), f"prune(w, {s})", shape=w.shape)
        expect(np.array_equal(w, original), "your function changed w in place; return a copy")
        tau = np.quantile(np.abs(w), s)
        keep = np.abs(w) > tau
        expect(np.all(got[~keep] == 0), f"with sparsity {s}, some small weights were not zeroed")
        expect(np.allclose(got[keep], w[keep]), f"with sparsity {s}, some large weights were changed")


@checker(hints=[
        "Temperature scaling divides the logits before the softmax: a larger temperature "
        "gives softer probabilities.",
        "Apply the softmax row by row, so every row sums to one.",
        "Subtract each row's largest value before exponentiating, as in a stable softmax,"
        " then normalise each row by its sum.",
    ])
def check_soften(fn):
    """``fn(logits, T)`` returns softmax(logits / T) row by row."""
    require_function(fn, "soften")
    z = np.random.default_rng(5).normal(scale=3.0, size=(6, 10))
    for T in (1.0, 4.0, 0.5):
        got = as_array(call_student(fn, z, T), f"soften(logits, {T})", shape=z.shape)
        expect(np.allclose(got.sum(axis=1), 1.0, atol=1e-8), "each row must sum to 1")
        expect(np.allclose(got, activations.softmax(z / T, axis=1), atol=1e-8),
               f"the values differ from the softened probabilities at T = {T}")
    big = as_array(call_student(fn, np.array([[1000.0, 0.0, -1000.0]]), 1.0), "soften of large logits",
                   shape=(1, 3))
    expect(abs(big[0, 0] - 1.0) < 1e-9, "large logits overflow: subtract the row maximum first")
