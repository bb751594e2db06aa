r"""Loss functions and their gradients.

A loss compares targets ``y_true`` with a model's predictions and returns one
number, averaged over the examples. Each ``*_grad`` function returns the
gradient of that number with respect to the prediction (or the logits), with
the same :math:`1/N` factor, so it can be fed straight into backpropagation.

The values match Keras 3's losses with the default ``"sum_over_batch_size"``
reduction (for element-wise losses that is the mean over every element):

==================================  ===============================================
dlcourse                            Keras
==================================  ===============================================
``mse``                             ``MeanSquaredError``
``binary_crossentropy``             ``BinaryCrossentropy()`` (clips at ``eps=1e-7``)
``binary_crossentropy_from_logits`` ``BinaryCrossentropy(from_logits=True)``
``categorical_crossentropy``        ``CategoricalCrossentropy()`` /
                                    ``SparseCategoricalCrossentropy()``
``softmax_crossentropy``            the same with ``from_logits=True``
==================================  ===============================================

``half_sse`` is the :math:`\frac{1}{2N}\sum` form many textbooks (and the
course's source articles) write, whose gradient has no factor 2.

Shapes must match exactly: NumPy would silently broadcast a ``(N,)`` target
against a ``(N, 1)`` prediction into an ``(N, N)`` table of errors, a classic
bug, so a mismatch raises an error naming both shapes instead.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, positive_float, same_shape
from .activations import _sigmoid

__all__ = [
    "mse",
    "mse_grad",
    "half_sse",
    "half_sse_grad",
    "binary_crossentropy",
    "binary_crossentropy_grad",
    "binary_crossentropy_from_logits",
    "binary_crossentropy_from_logits_grad",
    "categorical_crossentropy",
    "categorical_crossentropy_grad",
    "softmax_crossentropy",
    "softmax_crossentropy_grad",
    "LOSSES",
]

#: Keras's default fuzz factor, ``keras.backend.epsilon()``.
EPSILON = 1e-7


# --------------------------------------------------------------------------
# input checks


def _pair(y_true, y_pred, pred_name: str, func: str) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays as float64, finite, with the same shape."""
    y = as_array(y_true, "y_true", func)
    p = as_array(y_pred, pred_name, func)
    same_shape(y, p, ("y_true", pred_name), func)
    if p.size == 0:
        raise ValueError(f"{func}: {pred_name} is empty; received shape {p.shape}")
    return y, p


def _in_unit_interval(a: np.ndarray, name: str, func: str, hint: str = "") -> None:
    if a.size and (a.min() < 0.0 or a.max() > 1.0):
        raise ValueError(
            f"{func}: {name} must lie in [0, 1]; received values from "
            f"{a.min():.4g} to {a.max():.4g}{hint}"
        )


def _eps(eps, func: str) -> float:
    eps = positive_float(eps, "eps", func)
    if eps >= 0.5:
        raise ValueError(f"{func}: eps must be < 0.5; received {eps}")
    return eps


def _class_targets(y_true, scores: np.ndarray, score_name: str, func: str) -> np.ndarray:
    """One-hot targets (batch, classes) from one-hot or integer labels."""
    if scores.ndim != 2:
        raise ValueError(
            f"{func}: {score_name} must be 2-D (batch, classes); "
            f"received shape {scores.shape}"
        )
    n, k = scores.shape
    if n == 0 or k == 0:
        raise ValueError(
            f"{func}: {score_name} is empty; received shape {scores.shape} "
            "(need at least one example and one class)"
        )
    y = as_array(y_true, "y_true", func)
    if y.shape == scores.shape:  # one-hot (or soft) targets
        _in_unit_interval(y, "one-hot y_true", func)
        sums = y.sum(axis=1)
        if not np.allclose(sums, 1.0, atol=1e-6):
            raise ValueError(
                f"{func}: each row of one-hot y_true must sum to 1; received row "
                f"sums from {sums.min():.4g} to {sums.max():.4g}"
            )
        return y
    if y.shape in ((n,), (n, 1)):  # integer class labels
        labels = y.reshape(n)
        if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() >= k:
            raise ValueError(
                f"{func}: integer labels y_true must be whole numbers in [0, {k}) "
                f"for {k} classes; received values from {labels.min():.4g} to "
                f"{labels.max():.4g}"
            )
        onehot = np.zeros((n, k))
        onehot[np.arange(n), labels.astype(np.int64)] = 1.0
        return onehot
    raise ValueError(
        f"{func}: y_true must be integer labels of shape ({n},) or one-hot of shape "
        f"{scores.shape}; received y_true.shape={y.shape} and "
        f"{score_name}.shape={scores.shape}"
    )


def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


# --------------------------------------------------------------------------
# regression


def mse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Mean squared error over all elements (Keras's ``MeanSquaredError``).

    .. math:: \mathrm{MSE} = \frac{1}{n}\sum_{i=1}^{n} (y_i - \hat{y}_i)^2

    Parameters
    ----------
    y_true : array_like
        Targets, any shape.
    y_pred : array_like
        Predictions :math:`\hat{y}`, the same shape as ``y_true``.

    Returns
    -------
    float
        The mean of the squared errors; :math:`n` counts every element.
    """
    y, p = _pair(y_true, y_pred, "y_pred", "mse")
    return float(np.mean((y - p) ** 2))


def mse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`mse` with respect to the predictions.

    .. math:: \frac{\partial\,\mathrm{MSE}}{\partial \hat{y}_i} = \frac{2}{n}(\hat{y}_i - y_i)

    Parameters
    ----------
    y_true : array_like
        Targets, any shape.
    y_pred : array_like
        Predictions, the same shape as ``y_true``.

    Returns
    -------
    ndarray
        Same shape as ``y_pred``.
    """
    y, p = _pair(y_true, y_pred, "y_pred", "mse_grad")
    return 2.0 * (p - y) / p.size


def _n_samples(p: np.ndarray) -> int:
    return p.shape[0] if p.ndim else 1


def half_sse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    r"""Half the sum of squared errors, averaged over the :math:`N` examples.

    .. math:: J = \frac{1}{2N}\sum_{i=1}^{N} \lVert y_i - \hat{y}_i \rVert^2

    :math:`N` is the number of examples (the length of the first axis); the
    sum runs over every output of every example. With one output per example
    :math:`J = \mathrm{MSE}/2`. The :math:`\frac12` only cancels the 2 of the
    derivative; the minimiser is the same as the MSE's.

    Parameters
    ----------
    y_true : array_like
        Targets, ``(N,)`` or ``(N, outputs)``.
    y_pred : array_like
        Predictions, the same shape as ``y_true``.

    Returns
    -------
    float
        :math:`J`.
    """
    y, p = _pair(y_true, y_pred, "y_pred", "half_sse")
    return float(np.sum((y - p) ** 2) / (2.0 * _n_samples(p)))


def half_sse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`half_sse` with respect to the predictions.

    .. math:: \frac{\partial J}{\partial \hat{y}_i} = \frac{1}{N}(\hat{y}_i - y_i)

    Parameters
    ----------
    y_true : array_like
        Targets, ``(N,)`` or ``(N, outputs)``.
    y_pred : array_like
        Predictions, the same shape as ``y_true``.

    Returns
    -------
    ndarray
        Same shape as ``y_pred``.
    """
    y, p = _pair(y_true, y_pred, "y_pred", "half_sse_grad")
    return (p - y) / _n_samples(p)


# --------------------------------------------------------------------------
# binary classification


def _bce_inputs(y_true, p, eps, func):
    y, p = _pair(y_true, p, "p", func)
    _in_unit_interval(y, "y_true", func)
    _in_unit_interval(
        p, "p", func, "; p holds probabilities (pass scores to "
        "binary_crossentropy_from_logits instead)"
    )
    return y, p, _eps(eps, func)


def binary_crossentropy(y_true: ArrayLike, p: ArrayLike, eps: float = EPSILON) -> float:
    r"""Binary cross-entropy from probabilities, clipped as Keras does.

    .. math:: \mathrm{BCE} = -\frac{1}{n}\sum_{i=1}^{n}
              \big[y_i \log \tilde{p}_i + (1 - y_i)\log(1 - \tilde{p}_i)\big],
              \qquad \tilde{p}_i = \operatorname{clip}(p_i, \epsilon, 1 - \epsilon)

    Clipping keeps :math:`\log 0 = -\infty` out: a confident wrong prediction
    costs at most :math:`-\log\epsilon \approx 16.1`. Prefer
    :func:`binary_crossentropy_from_logits` when you have the scores.

    Parameters
    ----------
    y_true : array_like
        Targets in :math:`[0, 1]` (usually 0 or 1), any shape.
    p : array_like
        Predicted probabilities in :math:`[0, 1]`, the same shape.
    eps : float
        Clipping bound :math:`\epsilon`, ``1e-7`` like ``keras.backend.epsilon()``.

    Returns
    -------
    float
        The mean over all :math:`n` elements.
    """
    y, p, eps = _bce_inputs(y_true, p, eps, "binary_crossentropy")
    pc = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(pc) + (1.0 - y) * np.log(1.0 - pc)))


def binary_crossentropy_grad(
    y_true: ArrayLike, p: ArrayLike, eps: float = EPSILON
) -> np.ndarray:
    r"""Gradient of :func:`binary_crossentropy` with respect to ``p``.

    .. math:: \frac{\partial\,\mathrm{BCE}}{\partial p_i} =
              \frac{1}{n}\,\frac{\tilde{p}_i - y_i}{\tilde{p}_i(1 - \tilde{p}_i)}
              \quad (\epsilon \le p_i \le 1 - \epsilon), \qquad 0 \text{ otherwise}

    Where ``p`` was clipped the loss is flat, so the gradient is 0 there, as
    ``tf.GradientTape`` finds through ``tf.clip_by_value``.

    Parameters
    ----------
    y_true : array_like
        Targets in :math:`[0, 1]`, any shape.
    p : array_like
        Predicted probabilities in :math:`[0, 1]`, the same shape.
    eps : float
        Clipping bound :math:`\epsilon`.

    Returns
    -------
    ndarray
        Same shape as ``p``.
    """
    y, p, eps = _bce_inputs(y_true, p, eps, "binary_crossentropy_grad")
    inside = (p >= eps) & (p <= 1.0 - eps)
    pc = np.clip(p, eps, 1.0 - eps)
    return np.where(inside, (pc - y) / (pc * (1.0 - pc)), 0.0) / p.size


def binary_crossentropy_from_logits(y_true: ArrayLike, z: ArrayLike) -> float:
    r"""Binary cross-entropy of :math:`\sigma(z)`, computed stably from the logits.

    .. math:: \mathrm{BCE} = \frac{1}{n}\sum_{i=1}^{n}
              \big[\max(z_i, 0) - z_i y_i + \log\big(1 + e^{-|z_i|}\big)\big]

    This equals :math:`-[y\log\sigma(z) + (1-y)\log(1-\sigma(z))]` exactly, but
    never forms :math:`\sigma(z)`, so there is no :math:`\log 0` and no clipping
    (the formula of ``tf.nn.sigmoid_cross_entropy_with_logits``).

    Parameters
    ----------
    y_true : array_like
        Targets in :math:`[0, 1]`, any shape.
    z : array_like
        Logits (scores before the sigmoid), the same shape.

    Returns
    -------
    float
        The mean over all :math:`n` elements.
    """
    func = "binary_crossentropy_from_logits"
    y, z = _pair(y_true, z, "z", func)
    _in_unit_interval(y, "y_true", func)
    with np.errstate(under="ignore"):
        return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def binary_crossentropy_from_logits_grad(y_true: ArrayLike, z: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`binary_crossentropy_from_logits` with respect to ``z``.

    .. math:: \frac{\partial\,\mathrm{BCE}}{\partial z_i} = \frac{1}{n}\big(\sigma(z_i) - y_i\big)

    Parameters
    ----------
    y_true : array_like
        Targets in :math:`[0, 1]`, any shape.
    z : array_like
        Logits, the same shape.

    Returns
    -------
    ndarray
        Same shape as ``z``.
    """
    func = "binary_crossentropy_from_logits_grad"
    y, z = _pair(y_true, z, "z", func)
    _in_unit_interval(y, "y_true", func)
    return (_sigmoid(z) - y) / z.size


# --------------------------------------------------------------------------
# multi-class classification


def _cce_inputs(y_true, probs, eps, func):
    p = as_array(probs, "probs", func)
    y = _class_targets(y_true, p, "probs", func)
    hint = "; probs holds probabilities (pass scores to softmax_crossentropy instead)"
    _in_unit_interval(p, "probs", func, hint)
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-5):
        raise ValueError(
            f"{func}: each row of probs must sum to 1; received row sums from "
            f"{sums.min():.4g} to {sums.max():.4g}{hint}"
        )
    return y, p, _eps(eps, func)


def categorical_crossentropy(
    y_true: ArrayLike, probs: ArrayLike, eps: float = EPSILON
) -> float:
    r"""Categorical cross-entropy from softmax probabilities.

    .. math:: \mathrm{CE} = -\frac{1}{N}\sum_{i=1}^{N}\sum_{k=1}^{K} y_{ik}\log\tilde{p}_{ik},
              \qquad \tilde{p} = \operatorname{clip}(p, \epsilon, 1 - \epsilon)

    With integer labels :math:`c_i` this is :math:`-\frac1N\sum_i \log\tilde{p}_{i c_i}`
    (Keras's ``SparseCategoricalCrossentropy``). Prefer
    :func:`softmax_crossentropy` when you have the scores. Unlike Keras, the rows
    of ``probs`` are checked to sum to 1 (within ``1e-5``) rather than rescaled.

    Parameters
    ----------
    y_true : array_like
        One-hot targets ``(N, K)``, or integer labels ``(N,)`` in :math:`[0, K)`.
    probs : array_like
        Predicted probabilities ``(N, K)``, each row summing to 1.
    eps : float
        Clipping bound :math:`\epsilon`, ``1e-7`` like Keras.

    Returns
    -------
    float
        The mean over the :math:`N` examples.
    """
    y, p, eps = _cce_inputs(y_true, probs, eps, "categorical_crossentropy")
    return float(-np.mean(np.sum(y * np.log(np.clip(p, eps, 1.0 - eps)), axis=1)))


def categorical_crossentropy_grad(
    y_true: ArrayLike, probs: ArrayLike, eps: float = EPSILON
) -> np.ndarray:
    r"""Gradient of :func:`categorical_crossentropy` with respect to ``probs``.

    .. math:: \frac{\partial\,\mathrm{CE}}{\partial p_{ik}} = -\frac{1}{N}\,\frac{y_{ik}}{\tilde{p}_{ik}}
              \quad (\epsilon \le p_{ik} \le 1 - \epsilon), \qquad 0 \text{ otherwise}

    Chain it through :func:`dlcourse.activations.softmax_backward` to reach the
    scores; :func:`softmax_crossentropy_grad` does both in one stable step.

    Parameters
    ----------
    y_true : array_like
        One-hot targets ``(N, K)``, or integer labels ``(N,)``.
    probs : array_like
        Predicted probabilities ``(N, K)``.
    eps : float
        Clipping bound :math:`\epsilon`.

    Returns
    -------
    ndarray
        ``(N, K)``.
    """
    y, p, eps = _cce_inputs(y_true, probs, eps, "categorical_crossentropy_grad")
    inside = (p >= eps) & (p <= 1.0 - eps)
    return np.where(inside, -y / np.clip(p, eps, 1.0 - eps), 0.0) / p.shape[0]


def softmax_crossentropy(y_true: ArrayLike, logits: ArrayLike) -> float:
    r"""Cross-entropy of :math:`\operatorname{softmax}(z)`, computed stably from the logits.

    .. math:: \mathrm{CE} = -\frac{1}{N}\sum_{i=1}^{N}\sum_{k=1}^{K} y_{ik}
              \Big(z_{ik} - m_i - \log\sum_{j} e^{z_{ij} - m_i}\Big),
              \qquad m_i = \max_j z_{ij}

    The bracket is :math:`\log\operatorname{softmax}(z_i)_k` (log-sum-exp with the
    maximum subtracted), so no probability is rounded to 0 before its logarithm
    and no clipping is needed (Keras's ``from_logits=True``).

    Parameters
    ----------
    y_true : array_like
        One-hot targets ``(N, K)``, or integer labels ``(N,)`` in :math:`[0, K)`.
    logits : array_like
        Scores :math:`z`, ``(N, K)``.

    Returns
    -------
    float
        The mean over the :math:`N` examples.
    """
    func = "softmax_crossentropy"
    z = as_array(logits, "logits", func)
    y = _class_targets(y_true, z, "logits", func)
    return float(-np.mean(np.sum(y * _log_softmax(z), axis=1)))


def softmax_crossentropy_grad(y_true: ArrayLike, logits: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`softmax_crossentropy` with respect to the logits.

    .. math:: \frac{\partial\,\mathrm{CE}}{\partial z_{ik}} =
              \frac{1}{N}\big(\operatorname{softmax}(z_i)_k - y_{ik}\big)

    Parameters
    ----------
    y_true : array_like
        One-hot targets ``(N, K)``, or integer labels ``(N,)``.
    logits : array_like
        Scores ``(N, K)``.

    Returns
    -------
    ndarray
        ``(N, K)``.
    """
    func = "softmax_crossentropy_grad"
    z = as_array(logits, "logits", func)
    y = _class_targets(y_true, z, "logits", func)
    with np.errstate(under="ignore"):
        return (np.exp(_log_softmax(z)) - y) / z.shape[0]


LossPair = tuple[Callable[..., float], Callable[..., np.ndarray]]

#: Losses by Keras-style name: ``name -> (loss(y_true, pred), grad(y_true, pred))``.
LOSSES: dict[str, LossPair] = {
    "mse": (mse, mse_grad),
    "half_sse": (half_sse, half_sse_grad),
    "binary_crossentropy": (binary_crossentropy, binary_crossentropy_grad),
    "binary_crossentropy_from_logits": (
        binary_crossentropy_from_logits,
        binary_crossentropy_from_logits_grad,
    ),
    "categorical_crossentropy": (categorical_crossentropy, categorical_crossentropy_grad),
    "softmax_crossentropy": (softmax_crossentropy, softmax_crossentropy_grad),
}
