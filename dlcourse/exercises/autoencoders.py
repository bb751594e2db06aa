r"""Checkers of the chapter "Autoencoders" (``book/algorithms/autoencoders.ipynb``).

The chapter shows that the best reconstruction of data through a :math:`k`-dimensional
linear code is principal component analysis: centre the data, project it onto the
:math:`k` leading right singular vectors of the centred data matrix (the leading
eigenvectors of the covariance), and add the mean back,

.. math:: \hat X = \bar x + (X - \bar x)\, V_k V_k^\top .

Expected values are recomputed when a checker runs, from NumPy's SVD on data drawn
here, so nothing in this module stores an answer a student could read, and no failure
message contains one.
"""

from __future__ import annotations

import warnings

import numpy as np

from .checking import ExerciseFailed, as_array, checker, expect
from .checking import call_student as _call

__all__ = ["check_pca_reconstruct"]

#: Tolerances for float64 answers: loose enough for float32 arithmetic on these
#: small, well-conditioned problems, tight enough to tell a wrong projection apart.
_RTOL, _ATOL = 1e-4, 1e-5


def _projection(x: np.ndarray, k: int, *, centre: bool = True, last: bool = False) -> np.ndarray:
    """Rank-k reconstruction of the rows of x, around their mean (or around 0), on the
    k leading principal directions (or, with ``last``, the k trailing ones)."""
    mean = x.mean(axis=0) if centre else np.zeros(x.shape[1])
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    v = (vt[-k:] if last else vt[:k]).T
    return mean + (x - mean) @ v @ v.T


def _cases():
    """(x, k, what): data with a clear low-rank structure, away from the origin."""
    out = []
    for n, d, rank, k, seed, what in [
        (60, 6, 3, 2, 11, "60 points in 6 dimensions with k = 2"),
        (40, 10, 4, 3, 12, "40 points in 10 dimensions with k = 3"),
        (25, 5, 5, 1, 13, "25 points in 5 dimensions with k = 1"),
    ]:
        rng = np.random.default_rng(seed)
        scales = np.linspace(3.0, 1.0, rank)  # distinct variances: a unique answer
        basis = np.linalg.qr(rng.normal(size=(d, rank)))[0]
        x = (rng.normal(size=(n, rank)) * scales) @ basis.T
        x = x + 0.1 * rng.normal(size=(n, d)) + rng.uniform(2.0, 5.0, size=d)
        out.append((x, k, what))
    return out


def _close(a, b) -> bool:
    return a.shape == b.shape and np.allclose(a, b, rtol=_RTOL, atol=_ATOL)


@checker(
    hints=[
        "PCA works on centred data: remove the mean of each feature first, and remember "
        "to put it back.",
        "The principal directions are the right singular vectors of the centred data; a "
        "rank-k reconstruction uses only the first k of them.",
        "Take the reduced SVD of the centred matrix, keep the top k right singular "
        "vectors, project the centred data onto them and map the coordinates back to "
        "pixel space; add the mean again and return an array shaped like x.",
    ]
)
def check_pca_reconstruct(pca_reconstruct):
    """Check ``pca_reconstruct(x, k) -> x_hat``, the rank-k PCA reconstruction of x."""
    expect(pca_reconstruct is not None and pca_reconstruct is not Ellipsis,
           "pca_reconstruct is a placeholder: define the function first.")
    expect(callable(pca_reconstruct),
           "pass the function itself (pca_reconstruct), not the result of calling it.")
    for x, k, what in _cases():
        original = x.copy()
        out = _call(pca_reconstruct, x, k)
        expect(np.array_equal(x, original),
               "pca_reconstruct must not change x in place: work on a centred copy.")
        expect(out is not None, "your function returned None: did you forget `return`?")
        got = as_array(out, "pca_reconstruct(x, k)")
        n, d = x.shape
        if got.shape == (n, k):
            raise ExerciseFailed(
                f"for {what} you returned shape {got.shape}, the codes: decode them too, "
                f"so that the reconstruction has the shape of x, {x.shape}.")
        expect(got.shape == x.shape,
               f"for {what} the reconstruction has shape {got.shape}; it must have the "
               f"shape of x, {x.shape}.")
        want = _projection(x, k)
        if _close(got, want):
            continue
        mean = x.mean(axis=0)
        if _close(got + mean, want):
            raise ExerciseFailed(
                f"for {what} your reconstruction is centred on 0: add the mean back.")
        if _close(got, _projection(x, k, centre=False)):
            raise ExerciseFailed(
                f"for {what} you projected the data without centring it first: PCA's "
                f"directions are those of largest variance around the mean.")
        for other in (k - 1, k + 1):
            if 0 < other <= min(n, d) and _close(got, _projection(x, other)):
                raise ExerciseFailed(
                    f"for {what} you kept {other} principal components instead of k = {k}.")
        if _close(got, _projection(x, k, last=True)):
            raise ExerciseFailed(
                f"for {what} you kept the k directions of smallest variance: NumPy's SVD "
                f"sorts the singular values in decreasing order, so the leading ones "
                f"come first.")
        raise ExerciseFailed(
            f"for {what} the reconstruction has the right shape but wrong values: it is "
            f"not the projection onto the {k} leading principal components.")
