"""Checkers of the Attention chapter (``book/algorithms/attention.ipynb``).

Expected values are recomputed from :mod:`dlcourse.attention` when a checker runs, so
nothing here stores an answer, and no failure message prints one. Outputs are compared
to 1e-6, so float32 answers pass.
"""

from __future__ import annotations

import numpy as np

from .. import attention
from .checking import ExerciseFailed, as_array, checker, expect, require_function
from .checking import call_student as _call

__all__ = ["check_attention", "check_positional_encoding"]

_TOL = 1e-6


@checker(
    hint="Scores are q @ k.T divided by sqrt(d_k), the length of a query. Where the mask "
    "is False, replace the score by a very negative number (say -1e9) before a softmax "
    "over the keys (the last axis); the output is weights @ v."
)
def check_attention(attention_fn):
    """Check ``attention_fn(q, k, v, mask=None) -> (T_q, d_v)`` for 2-D q, k, v."""
    require_function(attention_fn, "attention")
    rng = np.random.default_rng(2017)
    cases = [(3, 4, 2, 5, None), (1, 3, 3, 1, None), (4, 4, 8, 2, "causal"), (2, 5, 3, 3, "padding")]
    for tq, tk, dk, dv, kind in cases:
        q, k, v = rng.normal(size=(tq, dk)), rng.normal(size=(tk, dk)), rng.normal(size=(tk, dv))
        mask = None
        if kind == "causal":
            mask = attention.causal_mask(tq)
        elif kind == "padding":
            mask = np.broadcast_to(np.arange(tk) < 3, (tq, tk)).copy()
        want, _ = attention.scaled_dot_product_attention(q, k, v, mask=mask)
        what = f"{tq} queries, {tk} keys of length {dk}" + (f", {kind} mask" if kind else "")
        args = [q.copy(), k.copy(), v.copy()]
        got = as_array(_call(attention_fn, *args, mask=mask), f"attention for {what}", shape=want.shape)
        expect(all(np.array_equal(a, b) for a, b in zip(args, (q, k, v))),
               "attention must not modify q, k or v.")
        unscaled = attention.scaled_dot_product_attention(q * np.sqrt(dk), k, v, mask=mask)[0]
        if dk > 1 and np.allclose(got, unscaled, atol=_TOL):
            raise ExerciseFailed(f"for {what} the scores are not divided by sqrt(d_k).")
        if kind and np.allclose(got, attention.scaled_dot_product_attention(q, k, v)[0], atol=_TOL):
            raise ExerciseFailed(f"for {what} the mask is ignored.")
        expect(np.allclose(got, want, rtol=0, atol=_TOL), f"the output for {what} is wrong.")


@checker(
    hint="Column 2i holds sin(p / 10000**(2i/depth)) and column 2i+1 the cosine of the "
    "same angle, for positions p = 0, 1, ...; build the angles with broadcasting, "
    "positions as a column and the frequencies as a row."
)
def check_positional_encoding(positional_encoding):
    """Check ``positional_encoding(length, depth) -> (length, depth)``."""
    require_function(positional_encoding, "positional_encoding")
    for length, depth in ((1, 2), (10, 8), (50, 16), (7, 6)):
        want = attention.positional_encoding(length, depth)
        got = as_array(_call(positional_encoding, length, depth),
                       f"positional_encoding({length}, {depth})", shape=want.shape)
        swapped = want.copy()
        swapped[:, 0::2], swapped[:, 1::2] = want[:, 1::2], want[:, 0::2]
        if np.allclose(got, swapped, atol=_TOL):
            raise ExerciseFailed("sines and cosines are swapped: even columns hold the sines.")
        expect(np.allclose(got, want, rtol=0, atol=_TOL),
               f"positional_encoding({length}, {depth}) has wrong values.")
