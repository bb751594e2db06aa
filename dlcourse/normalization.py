r"""Normalization layers: batch normalization and layer normalization.

Both standardize a group of numbers to mean 0 and variance 1, then rescale them with
learned parameters :math:`\gamma` (scale) and :math:`\beta` (shift):

.. math::
    \mu = \frac{1}{N}\sum_{i} x_i, \qquad
    \sigma^2 = \frac{1}{N}\sum_{i} (x_i - \mu)^2, \qquad
    \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
    y_i = \gamma\, \hat x_i + \beta.

They differ in the group. **Batch normalization** averages each feature over the batch
(and over every axis but the last, for images): :math:`N` is the number of examples. At
inference it uses running averages of :math:`\mu` and :math:`\sigma^2` gathered in
training, so an example's output does not depend on the rest of its batch. **Layer
normalization** averages over the features of one example (the last axis), so it
behaves the same in training and at inference and needs no running statistics.

The backward pass is the same for both, over the group the forward pass averaged
(with :math:`g_i = \partial L/\partial \hat x_i = \gamma\,\partial L/\partial y_i`):

.. math::
    \frac{\partial L}{\partial x_i} = \frac{1}{\sqrt{\sigma^2+\epsilon}}
    \Big(g_i - \frac{1}{N}\sum_j g_j - \hat x_i\,\frac{1}{N}\sum_j g_j \hat x_j\Big).

The layers follow :mod:`dlcourse.layers`' protocol (``forward``/``backward``,
``params``/``grads``) and the defaults and weight order of
``keras.layers.BatchNormalization`` and ``keras.layers.LayerNormalization``
(``epsilon=1e-3``, ``momentum=0.99``; weights ``[gamma, beta]`` plus, for batch
normalization, ``[moving_mean, moving_variance]``). Everything is float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_array, check_grad_out, positive_float, positive_int
from .layers import Layer

__all__ = [
    "NormCache",
    "batch_norm_forward",
    "layer_norm_forward",
    "norm_backward",
    "BatchNormalization",
    "LayerNormalization",
]


@dataclass
class NormCache:
    """What :func:`norm_backward` needs from a forward pass."""

    x_hat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    axes: tuple[int, ...]  # the axes averaged over


def _check(x, gamma, beta, func: str, min_ndim: int):
    x = as_array(x, "x", func)
    if x.ndim < min_ndim:
        lay = "(batch, ..., features)" if min_ndim == 2 else "(..., features)"
        raise ValueError(f"{func}: x must be at least {min_ndim}-D {lay}; received shape {x.shape}")
    n = x.shape[-1]
    gamma = as_array(gamma, "gamma", func)
    beta = as_array(beta, "beta", func)
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (n,):
            raise ValueError(
                f"{func}: {name} must have shape ({n},), one value per feature of x; "
                f"received shape {p.shape}"
            )
    return x, gamma, beta


def _features(x, n: int, owner: str, min_ndim: int) -> np.ndarray:
    """A layer's input, refused unless its last axis has the layer's ``n`` features."""
    x = as_array(x, "x", owner)
    if x.ndim < min_ndim or x.shape[-1] != n:
        lead = "(batch, ..., " if min_ndim == 2 else "(..., "
        raise ValueError(f"{owner}: expected input of shape {lead}{n}); received shape {x.shape}")
    return x


def _normalize(x, mean, var, gamma, beta, eps, axes):
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, NormCache(x_hat, inv_std, gamma, axes)


def batch_norm_forward(x, gamma, beta, eps: float = 1e-3):
    r"""Batch normalization in training mode: statistics of the batch, per feature.

    .. math::
        \mu_c = \frac{1}{N}\sum_{n} x_{n,c}, \quad
        \sigma_c^2 = \frac{1}{N}\sum_{n} (x_{n,c} - \mu_c)^2, \quad
        y_{n,c} = \gamma_c \frac{x_{n,c} - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c

    where :math:`n` runs over every axis but the last (the batch, and height and
    width for images).

    Parameters
    ----------
    x : array_like
        Shape (batch, ..., features), at least 2-D.
    gamma, beta : array_like
        Shape (features,).
    eps : float
        Added to the variance (Keras's ``epsilon``).

    Returns
    -------
    y : ndarray
        Same shape as ``x``.
    mean, var : ndarray
        The batch statistics, shape (features,) (``var`` is the biased variance, as
        Keras uses for its moving variance).
    cache : NormCache
        For :func:`norm_backward`.
    """
    func = "batch_norm_forward"
    x, gamma, beta = _check(x, gamma, beta, func, 2)
    eps = positive_float(eps, "eps", func)
    axes = tuple(range(x.ndim - 1))
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    y, cache = _normalize(x, mean, var, gamma, beta, eps, axes)
    return y, mean, var, cache


def layer_norm_forward(x, gamma, beta, eps: float = 1e-3):
    r"""Layer normalization: statistics of each example's features (the last axis).

    .. math::
        \mu_n = \frac{1}{C}\sum_{c} x_{n,c}, \quad
        \sigma_n^2 = \frac{1}{C}\sum_{c} (x_{n,c} - \mu_n)^2, \quad
        y_{n,c} = \gamma_c \frac{x_{n,c} - \mu_n}{\sqrt{\sigma_n^2 + \epsilon}} + \beta_c

    Parameters
    ----------
    x : array_like
        Shape (..., features), at least 1-D; every position is normalized on its own.
    gamma, beta : array_like
        Shape (features,).
    eps : float
        Added to the variance (Keras's ``epsilon``).

    Returns
    -------
    y : ndarray
        Same shape as ``x``.
    cache : NormCache
        For :func:`norm_backward`.
    """
    func = "layer_norm_forward"
    x, gamma, beta = _check(x, gamma, beta, func, 1)
    eps = positive_float(eps, "eps", func)
    mean, var = x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True)
    return _normalize(x, mean, var, gamma, beta, eps, (x.ndim - 1,))


def norm_backward(grad_y, cache: NormCache) -> dict[str, np.ndarray]:
    r"""Gradients of a normalization (batch or layer) from :math:`\partial L/\partial y`.

    .. math::
        \frac{\partial L}{\partial \gamma} = \sum \frac{\partial L}{\partial y}\odot\hat x,
        \qquad
        \frac{\partial L}{\partial \beta} = \sum \frac{\partial L}{\partial y},
        \qquad
        \frac{\partial L}{\partial x} = \frac{g - \overline{g} - \hat x\,\overline{g\hat x}}
        {\sqrt{\sigma^2+\epsilon}}

    with :math:`g = \gamma\,\partial L/\partial y` and the bars means over the group the
    forward pass averaged; the sums for :math:`\gamma, \beta` run over every axis but
    the last.

    Returns
    -------
    dict
        ``{"x", "gamma", "beta"}``.
    """
    if not isinstance(cache, NormCache):
        raise TypeError(f"norm_backward: cache must be the NormCache a forward pass returned; "
                        f"received {type(cache).__name__}")
    grad_y = check_grad_out(grad_y, cache.x_hat.shape, "norm_backward")
    x_hat, axes = cache.x_hat, cache.axes
    outer = tuple(range(x_hat.ndim - 1))
    g = grad_y * cache.gamma
    dx = cache.inv_std * (g - g.mean(axis=axes, keepdims=True)
                          - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
    return {"x": dx,
            "gamma": (grad_y * x_hat).sum(axis=outer),
            "beta": grad_y.sum(axis=outer)}


class BatchNormalization(Layer):
    r"""Batch normalization as a layer, with running statistics for inference.

    ``forward(x, training=True)`` normalizes with the batch's statistics
    (:func:`batch_norm_forward`) and updates the running ones,

    .. math::
        \mu_{\text{run}} \leftarrow m\,\mu_{\text{run}} + (1 - m)\,\mu_{\text{batch}},
        \qquad
        \sigma^2_{\text{run}} \leftarrow m\,\sigma^2_{\text{run}} + (1 - m)\,\sigma^2_{\text{batch}},

    with momentum :math:`m` (0.99, as in Keras); ``forward(x, training=False)`` uses the
    running statistics, a fixed affine map :math:`y = \gamma(x - \mu_{\text{run}}) /
    \sqrt{\sigma^2_{\text{run}} + \epsilon} + \beta`. They start at 0 and 1.

    Parameters
    ----------
    n_features : int
        Size of the last axis.
    momentum : float
        In [0, 1).
    eps : float
        Added to the variance.
    """

    def __init__(self, n_features: int, momentum: float = 0.99, eps: float = 1e-3):
        super().__init__()
        self.n_features = positive_int(n_features, "n_features", "BatchNormalization")
        momentum = positive_float(momentum, "momentum", "BatchNormalization", allow_zero=True)
        if momentum >= 1:
            raise ValueError(f"BatchNormalization: momentum must be in [0, 1); received {momentum}")
        self.momentum = momentum
        self.eps = positive_float(eps, "eps", "BatchNormalization")
        self.params = {"gamma": np.ones(self.n_features), "beta": np.zeros(self.n_features)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.moving_mean = np.zeros(self.n_features)
        self.moving_var = np.ones(self.n_features)
        self._cache = None

    def forward(self, x, training=False):
        p = self.params
        x = _features(x, self.n_features, repr(self), 2)
        if training:
            y, mean, var, self._cache = batch_norm_forward(x, p["gamma"], p["beta"], self.eps)
            m = self.momentum
            self.moving_mean[...] = m * self.moving_mean + (1 - m) * mean
            self.moving_var[...] = m * self.moving_var + (1 - m) * var
            return y
        axes = tuple(range(x.ndim - 1))
        y, self._cache = _normalize(x, self.moving_mean, self.moving_var, p["gamma"], p["beta"],
                                    self.eps, axes)
        self._cache.axes = ()  # inference: the statistics are constants, not functions of x
        return y

    def backward(self, grad_out):
        cache = self.saved("_cache")
        if cache.axes == ():  # inference mode: y = gamma * inv_std * (x - mean) + beta
            grad_out = check_grad_out(grad_out, cache.x_hat.shape, f"{self!r}.backward")
            outer = tuple(range(grad_out.ndim - 1))
            self.grads["gamma"][...] = (grad_out * cache.x_hat).sum(axis=outer)
            self.grads["beta"][...] = grad_out.sum(axis=outer)
            return grad_out * cache.gamma * cache.inv_std
        g = norm_backward(grad_out, cache)
        self.grads["gamma"][...] = g["gamma"]
        self.grads["beta"][...] = g["beta"]
        return g["x"]

    def get_weights(self) -> list[np.ndarray]:
        """``[gamma, beta, moving_mean, moving_variance]``, Keras's order."""
        return [self.params["gamma"], self.params["beta"], self.moving_mean, self.moving_var]

    def __repr__(self):
        return f"BatchNormalization({self.n_features})"


class LayerNormalization(Layer):
    r"""Layer normalization over the last axis (:func:`layer_norm_forward`).

    The same computation in training and at inference. Accepts any input of shape
    (..., n_features): a (batch, time, features) sequence is normalized position by
    position, as in a Transformer.
    """

    def __init__(self, n_features: int, eps: float = 1e-3):
        super().__init__()
        self.n_features = positive_int(n_features, "n_features", "LayerNormalization")
        self.eps = positive_float(eps, "eps", "LayerNormalization")
        self.params = {"gamma": np.ones(self.n_features), "beta": np.zeros(self.n_features)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._cache = None

    def forward(self, x, training=False):
        x = _features(x, self.n_features, repr(self), 1)
        y, self._cache = layer_norm_forward(x, self.params["gamma"], self.params["beta"], self.eps)
        return y

    def backward(self, grad_out):
        g = norm_backward(grad_out, self.saved("_cache"))
        self.grads["gamma"][...] = g["gamma"]
        self.grads["beta"][...] = g["beta"]
        return g["x"]

    def __repr__(self):
        return f"LayerNormalization({self.n_features})"
