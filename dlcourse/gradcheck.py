r"""Gradient checking: compare an analytic gradient with finite differences.

A backward pass written by hand is easy to get subtly wrong (a missing
:math:`1/N`, a transposed matrix, a sign). The cure is to estimate each partial
derivative numerically, by nudging one input at a time, and compare:

>>> import numpy as np
>>> from dlcourse import activations, gradcheck
>>> x = np.array([-1.0, 0.5, 2.0])
>>> f = lambda v: float(np.sum(activations.sigmoid(v)))
>>> gradcheck.check_gradient(f, activations.sigmoid_grad, x).passed
True

Central differences are accurate to :math:`O(\epsilon^2)`; in float64 with
:math:`\epsilon = 10^{-6}` a correct gradient typically agrees to about
:math:`10^{-9}` relative to its largest entry, while a wrong one is off by
order 1. Kinks (ReLU at 0) break the check: keep test points away from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Union

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, positive_float

__all__ = ["numerical_gradient", "check_gradient", "GradCheck"]


def _scalar(value, func: str) -> float:
    arr = np.asarray(value)
    if arr.size != 1:
        raise TypeError(
            f"{func}: f must return a single number (the loss); "
            f"received an array of shape {arr.shape}"
        )
    try:
        out = float(arr.reshape(()))
    except (TypeError, ValueError):
        raise TypeError(
            f"{func}: f must return a number; received {type(value).__name__}"
        ) from None
    if not np.isfinite(out):
        raise ValueError(f"{func}: f returned {out} at one of the probe points")
    return out


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: ArrayLike, eps: float = 1e-6
) -> np.ndarray:
    r"""Estimate :math:`\nabla f(x)` by central finite differences.

    .. math:: \frac{\partial f}{\partial x_i} \approx
              \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon}

    where :math:`e_i` is the :math:`i`-th unit vector. The error is
    :math:`O(\epsilon^2)` from truncation plus about
    :math:`10^{-16}|f|/\epsilon` from rounding, hence the default
    :math:`\epsilon = 10^{-6}` in float64. Costs :math:`2\,\mathrm{size}(x)`
    calls of ``f``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, a scalar function of an array shaped like ``x``. It
        receives a float64 copy and must not keep a reference to it.
    x : array_like
        The point, any shape; it is not modified.
    eps : float
        The step :math:`\epsilon`.

    Returns
    -------
    ndarray
        The estimated gradient, float64, same shape as ``x``.
    """
    func = "numerical_gradient"
    if not callable(f):
        raise TypeError(f"{func}: f must be a function of x; received {type(f).__name__}")
    eps = positive_float(eps, "eps", func)
    x = as_array(x, "x", func).copy()
    grad = np.zeros_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)  # views into x and grad
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + eps
        f_plus = _scalar(f(x.copy()), func)
        flat_x[i] = old - eps
        f_minus = _scalar(f(x.copy()), func)
        flat_x[i] = old
        flat_g[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


@dataclass(eq=False)
class GradCheck:
    r"""The outcome of :func:`check_gradient`.

    Attributes
    ----------
    max_rel_error : float
        :math:`\max_i |g_i - \hat g_i| \,/\, \max_j \max(|g_j|, |\hat g_j|)`, the
        largest disagreement relative to the largest gradient entry.
    passed : bool
        ``max_rel_error <= tol``.
    tol, eps : float
        The tolerance and the finite-difference step used.
    max_abs_error : float
        :math:`\max_i |g_i - \hat g_i|`.
    worst_index : tuple of int
        Where the largest disagreement is.
    analytic, numerical : ndarray
        The two gradients :math:`g` and :math:`\hat g`.
    """

    max_rel_error: float
    passed: bool
    tol: float
    eps: float
    max_abs_error: float
    worst_index: tuple[int, ...]
    analytic: np.ndarray = field(repr=False)
    numerical: np.ndarray = field(repr=False)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        sign = "<=" if self.passed else ">"
        idx = self.worst_index
        return (
            f"Gradient check {verdict}: max relative error {self.max_rel_error:.2e} "
            f"{sign} tol {self.tol:.0e} ({self.analytic.size} entries, eps={self.eps:.0e}); "
            f"worst at index {idx}: analytic {self.analytic[idx]:.8g}, "
            f"numerical {self.numerical[idx]:.8g}"
        )


def check_gradient(
    f: Callable[[np.ndarray], float],
    grad: Union[Callable[[np.ndarray], ArrayLike], ArrayLike],
    x: ArrayLike,
    eps: float = 1e-6,
    tol: float = 1e-6,
) -> GradCheck:
    r"""Compare an analytic gradient with central finite differences.

    .. math:: r = \frac{\max_i |g_i - \hat g_i|}{\max_j \max(|g_j|, |\hat g_j|)}

    where :math:`g` is the analytic gradient and :math:`\hat g` the
    :func:`numerical_gradient`. Measuring every error against the largest entry
    (rather than entry by entry) keeps entries that are exactly or nearly 0
    from producing huge ratios out of rounding noise; :math:`r = 0` when both
    gradients are exactly 0.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    grad : callable or array_like
        The analytic gradient: a function ``grad(x)`` or its value at ``x``;
        same shape as ``x``.
    x : array_like
        The point, any shape.
    eps : float
        Finite-difference step.
    tol : float
        The check passes when :math:`r \le` ``tol``.

    Returns
    -------
    GradCheck
        ``max_rel_error``, ``passed`` and details; ``print`` it for a report.
    """
    func = "check_gradient"
    tol = positive_float(tol, "tol", func)
    eps = positive_float(eps, "eps", func)
    x = as_array(x, "x", func)
    if x.size == 0:
        raise ValueError(f"{func}: x is empty (shape {x.shape}); there is no gradient to check")
    g = grad(x.copy()) if callable(grad) else grad
    g = as_array(g, "the analytic gradient", func)
    if g.shape != x.shape:
        raise ValueError(
            f"{func}: the analytic gradient must have the shape of x; "
            f"received gradient.shape={g.shape} and x.shape={x.shape}"
        )
    num = numerical_gradient(f, x, eps)
    diff = np.abs(g - num)
    scale = max(np.max(np.abs(g), initial=0.0), np.max(np.abs(num), initial=0.0))
    max_abs = float(np.max(diff, initial=0.0))
    rel = 0.0 if max_abs == 0.0 else max_abs / scale
    worst = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return GradCheck(
        max_rel_error=float(rel),
        passed=bool(rel <= tol),
        tol=tol,
        eps=eps,
        max_abs_error=max_abs,
        worst_index=tuple(int(i) for i in worst),
        analytic=g,
        numerical=num,
    )
