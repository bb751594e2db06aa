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
    hints=[
        "Attention is a weighted average of the values; the weights say how well each "
        "query matches each key.",
        "Score every query against every key with a dot product, scale the scores down by "
        "the square root of the key length, and turn each query's scores into weights "
        "with a softmax over the keys.",
        "Where the mask is False, give the score a very negative value before the softmax, "
        "so that its weight vanishes; then the weights times the values is the output. "
        "dlcourse.activations has a stable softmax.",
    ]
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
    q, k, v = rng.normal(size=(2, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    try:
        got = as_array(_call(attention_fn, q.copy(), k.copy(), v.copy()),
                       "attention called without a mask", shape=(2, 3))
    except ExerciseFailed as err:
        raise ExerciseFailed(f"called as attention_fn(q, k, v), without a mask, "
                             f"{str(err).rstrip('.')}: give mask the default None.") from None
    expect(np.allclose(got, attention.scaled_dot_product_attention(q, k, v)[0], atol=_TOL),
           "called without a mask, the output is wrong: give mask the default None.")
    big = 40.0 * q, 40.0 * k  # scores in the thousands: exp overflows unless shifted
    got = as_array(_call(attention_fn, big[0], big[1], v.copy()),
                   "attention for large scores (subtract each row's largest score before "
                   "the exponential)", shape=(2, 3))
    expect(np.allclose(got, attention.scaled_dot_product_attention(*big, v)[0], atol=_TOL),
           "the output for large scores is wrong.")
    mask = np.array([[False] * 5, [True, False, True, False, True]])  # query 0 sees no key
    got = as_array(_call(attention_fn, q.copy(), k.copy(), v.copy(), mask=mask),
                   "attention for a query whose keys are all masked (give masked scores "
                   "-1e9 as asked, not -inf)", shape=(2, 3))
    want = attention.scaled_dot_product_attention(q, k, v, mask=mask)[0]
    expect(np.allclose(got, want, atol=_TOL),
           "a query whose keys are all masked gets the wrong output: replace its scores "
           "by -1e9 (np.where), do not add -1e9 to them.")


@checker(
    hints=[
        "Each position gets a row of sines and cosines of angles that grow with the "
        "position, each pair of columns at its own frequency.",
        "The even columns hold the sines and the odd columns the cosines of the same angle; "
        "the frequency falls geometrically from one pair of columns to the next, as the "
        "chapter's formula says.",
        "Build all the angles at once with broadcasting: the positions as a column times "
        "the frequencies as a row, then fill the even and odd columns by slicing.",
    ]
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
