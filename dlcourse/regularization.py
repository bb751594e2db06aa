r"""Regularization: L2 weight decay and (inverted) dropout.

Both fight **overfitting**. L2 adds a penalty on large weights to the loss;
dropout randomly silences units during training so no unit can rely on a
particular other one.

The L2 penalty here has **no** :math:`\frac12`: it is
:math:`\lambda\sum w^2`, exactly ``keras.regularizers.L2(lam)``, so its
gradient is :math:`2\lambda w`. (Many textbooks write
:math:`\frac{\lambda}{2}\sum w^2` to get :math:`\lambda w`; the two differ only
in what :math:`\lambda` means.) Biases are usually left out of the penalty.

Reference for dropout: Srivastava et al. (2014), "Dropout: a simple way to
prevent neural networks from overfitting", JMLR 15.
"""

from __future__ import annotations

from typing import Iterable, Union

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, as_rng, flag, positive_float

__all__ = ["l2_penalty", "l2_grad", "dropout"]


def l2_penalty(weights: Union[ArrayLike, Iterable[ArrayLike]], lam: float) -> float:
    r"""L2 penalty on one weight array or on a list of them (Keras's ``L2``).

    .. math:: \Omega(W) = \lambda \sum_{\ell} \sum_{i,j} \big(w^{(\ell)}_{ij}\big)^2

    Keras turns a Python ``lam`` into a float32 tensor first, so Keras's
    ``L2(0.01)`` uses 0.0099999998 and differs from this in the 8th digit.

    Parameters
    ----------
    weights : array_like or list of array_like
        One weight array, or several (e.g. the kernels of every layer).
    lam : float
        Strength :math:`\lambda \ge 0` (no :math:`\frac12` factor).

    Returns
    -------
    float
        The penalty to add to the loss.
    """
    func = "l2_penalty"
    lam = positive_float(lam, "lam", func, allow_zero=True)
    if isinstance(weights, (list, tuple)) or (
        hasattr(weights, "__iter__") and not isinstance(weights, (np.ndarray, str))
    ):  # several arrays (any iterable of them, e.g. a generator)
        arrays = [as_array(w, f"weights[{i}]", func) for i, w in enumerate(weights)]
    else:
        arrays = [as_array(weights, "weights", func)]
    return lam * float(sum(np.sum(w * w) for w in arrays))


def l2_grad(w: ArrayLike, lam: float) -> np.ndarray:
    r"""Gradient of the L2 penalty with respect to one weight array.

    .. math:: \frac{\partial \Omega}{\partial w_{ij}} = 2\lambda\, w_{ij}

    Added to the loss gradient, a gradient-descent step becomes
    :math:`w \leftarrow (1 - 2\eta\lambda)\,w - \eta\,\partial L/\partial w`: the
    weights decay towards 0 ("weight decay").

    Parameters
    ----------
    w : array_like
        Weights, any shape.
    lam : float
        Strength :math:`\lambda \ge 0`.

    Returns
    -------
    ndarray
        Same shape as ``w``.
    """
    func = "l2_grad"
    w = as_array(w, "w", func)
    lam = positive_float(lam, "lam", func, allow_zero=True)
    return 2.0 * lam * w


def dropout(
    x: ArrayLike,
    rate: float,
    rng: Union[np.random.Generator, int, None],
    training: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Inverted dropout: zero each entry with probability ``rate``, scale the rest up.

    .. math:: y = x \odot m, \qquad m_i = \frac{b_i}{1 - r}, \qquad
              b_i \sim \operatorname{Bernoulli}(1 - r)

    Scaling the kept entries by :math:`1/(1-r)` during training keeps
    :math:`\mathbb{E}[y] = x`, so at inference (``training=False``) the layer
    is simply the identity; this is what ``keras.layers.Dropout`` does. The
    backward pass multiplies the upstream gradient by the same mask:
    :math:`\partial L/\partial x = m \odot \partial L/\partial y`.

    Parameters
    ----------
    x : array_like
        Activations, any shape.
    rate : float
        Drop probability :math:`r`, with :math:`0 \le r < 1`.
    rng : numpy.random.Generator or int or None
        Random source (an int is used as a seed).
    training : bool
        Apply dropout (``True``) or pass ``x`` through unchanged (``False``).

    Returns
    -------
    out : ndarray
        :math:`y`, same shape as ``x``.
    mask : ndarray
        :math:`m`: 0 for dropped entries, :math:`1/(1-r)` for kept ones (all
        ones when ``training`` is false), same shape as ``x``.
    """
    func = "dropout"
    x = as_array(x, "x", func)
    rate = positive_float(rate, "rate", func, allow_zero=True)
    if rate >= 1.0:
        raise ValueError(f"{func}: rate must be in [0, 1); received {rate}")
    if not flag(training, "training", func) or rate == 0.0:
        return x.copy(), np.ones_like(x)
    rng = as_rng(rng, func)
    keep = rng.random(x.shape) >= rate
    mask = keep / (1.0 - rate)
    return x * mask, mask
