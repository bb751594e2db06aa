r"""Activation functions and their derivatives.

An activation :math:`f` is applied element by element to a layer's
pre-activation :math:`z = xW + b`. Backpropagation needs its derivative
:math:`f'(z)`; every ``*_grad`` function here therefore takes the
**pre-activation** ``x`` (not the activation's output) and returns
:math:`f'(x)` with the same shape.

Derivatives at kinks follow TensorFlow's conventions, so gradients agree with
``tf.GradientTape``: ReLU's derivative at 0 is 0, leaky ReLU's is ``alpha``.
The step function's derivative is 0 everywhere except at 0, where it does not
exist; ``step_grad`` returns 0 there too (which is why a network of step units
cannot be trained by gradient descent).

Softmax acts on a whole vector, not element by element, so its derivative is a
Jacobian matrix; :func:`softmax_backward` applies that Jacobian to an upstream
gradient instead of returning it. Softmax is therefore not in
:data:`ACTIVATIONS`.

All functions return float64 arrays and refuse NaN or infinite inputs.
Used in the chapter on activation functions.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_grad_out, one_of, positive_float, same_shape

__all__ = [
    "step",
    "step_grad",
    "linear",
    "linear_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "softmax",
    "softmax_backward",
    "ActivationPair",
    "ACTIVATIONS",
    "ACTIVATION_NAMES",
    "activate",
    "activate_backward",
]


def step(x: ArrayLike) -> np.ndarray:
    r"""Heaviside step function, the perceptron's activation.

    .. math:: H(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    The value at :math:`x = 0` is a convention; here :math:`H(0) = 0`, as in
    Rosenblatt's perceptron and the book's background chapter.

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        0.0 or 1.0, same shape as ``x``.
    """
    x = as_array(x, "x", "step")
    return (x > 0).astype(np.float64)


def step_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of the step function: zero almost everywhere.

    .. math:: H'(x) = 0 \quad (x \ne 0); \quad H'(0) \text{ is undefined}

    At :math:`x = 0` the step jumps and has no derivative; this function
    returns 0 there as well. A zero gradient carries no learning signal, which
    is why networks use smooth activations instead.

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Zeros, same shape as ``x``.
    """
    x = as_array(x, "x", "step_grad")
    return np.zeros_like(x)


def linear(x: ArrayLike) -> np.ndarray:
    r"""Identity activation (no non-linearity), as in Keras's ``"linear"``.

    .. math:: f(x) = x

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        A float64 copy of ``x``.
    """
    return as_array(x, "x", "linear").copy()


def linear_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of the identity activation.

    .. math:: f'(x) = 1

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Ones, same shape as ``x``.
    """
    x = as_array(x, "x", "linear_grad")
    return np.ones_like(x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp is only ever taken of a non-positive number, so it cannot overflow:
    # x >= 0: 1 / (1 + e^{-x});  x < 0: e^{x} / (1 + e^{x}).
    # For |x| > ~745, e^{-|x|} underflows to 0, which is the right answer.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid(x: ArrayLike) -> np.ndarray:
    r"""Logistic sigmoid, computed without overflow.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    For :math:`x < 0` the equal form :math:`e^{x} / (1 + e^{x})` is used, so
    :math:`e^{-x}` is never evaluated at a large positive argument (no overflow
    warning even at :math:`x = -1000`).

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Values in :math:`[0, 1]`, same shape as ``x``.
    """
    return _sigmoid(as_array(x, "x", "sigmoid"))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of the logistic sigmoid.

    .. math:: \sigma'(x) = \sigma(x)\,(1 - \sigma(x))

    Its largest value is :math:`1/4`, at :math:`x = 0`: every sigmoid layer
    shrinks the gradient at least fourfold (the vanishing gradient).
    Computed as :math:`\sigma(x)\,\sigma(-x)` (equal, since
    :math:`1 - \sigma(x) = \sigma(-x)`), which avoids the cancellation in
    :math:`1 - \sigma(x)` for large :math:`x`.

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Same shape as ``x``.
    """
    x = as_array(x, "x", "sigmoid_grad")
    with np.errstate(under="ignore"):
        return _sigmoid(x) * _sigmoid(-x)


def tanh(x: ArrayLike) -> np.ndarray:
    r"""Hyperbolic tangent.

    .. math:: \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Values in :math:`[-1, 1]`, same shape as ``x``.
    """
    return np.tanh(as_array(x, "x", "tanh"))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of the hyperbolic tangent.

    .. math:: \tanh'(x) = 1 - \tanh^2(x)

    Computed as the equal :math:`4e^{-2|x|} / (1 + e^{-2|x|})^2`, which avoids
    the cancellation in :math:`1 - \tanh^2(x)` when :math:`\tanh(x) \approx \pm 1`.

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Values in :math:`(0, 1]`, same shape as ``x``.
    """
    x = as_array(x, "x", "tanh_grad")
    with np.errstate(under="ignore"):
        e = np.exp(-2.0 * np.abs(x))
        return 4.0 * e / (1.0 + e) ** 2


def relu(x: ArrayLike) -> np.ndarray:
    r"""Rectified linear unit.

    .. math:: \operatorname{ReLU}(x) = \max(0, x)

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        Same shape as ``x``.
    """
    return np.maximum(as_array(x, "x", "relu"), 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of ReLU, taking 0 at the kink (TensorFlow's convention).

    .. math:: \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    ReLU has no derivative at :math:`x = 0`; any value in :math:`[0, 1]` is a
    valid subgradient, and TensorFlow uses 0.

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.

    Returns
    -------
    ndarray
        0.0 or 1.0, same shape as ``x``.
    """
    return (as_array(x, "x", "relu_grad") > 0).astype(np.float64)


def leaky_relu(x: ArrayLike, alpha: float = 0.2) -> np.ndarray:
    r"""Leaky ReLU: a small slope ``alpha`` instead of zero for negative inputs.

    .. math:: f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.
    alpha : float
        Slope for negative inputs, :math:`\alpha \ge 0`. 0.2 by default, as Keras's
        activation of the same name (``keras.activations.leaky_relu``, whose
        ``negative_slope`` it is, and ``activation="leaky_relu"`` in a Keras layer) and
        ``tf.nn.leaky_relu``; note that the layer ``keras.layers.LeakyReLU`` defaults
        to 0.3. TensorFlow stores it as float32, so its 0.2 is 0.2000000030.

    Returns
    -------
    ndarray
        Same shape as ``x``.
    """
    x = as_array(x, "x", "leaky_relu")
    alpha = positive_float(alpha, "alpha", "leaky_relu", allow_zero=True)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.2) -> np.ndarray:
    r"""Derivative of leaky ReLU, taking ``alpha`` at the kink (as TensorFlow does).

    .. math:: f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Pre-activations, any shape.
    alpha : float
        Slope for negative inputs, :math:`\alpha \ge 0` (0.2 by default, as Keras).

    Returns
    -------
    ndarray
        1.0 or ``alpha``, same shape as ``x``.
    """
    x = as_array(x, "x", "leaky_relu_grad")
    alpha = positive_float(alpha, "alpha", "leaky_relu_grad", allow_zero=True)
    return np.where(x > 0, 1.0, alpha)


def _check_axis(axis: int, ndim: int, name: str, func: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{func}: axis must be an integer; received {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{func}: axis={axis} is out of range for {name} with {ndim} dimension(s)"
        )
    return int(axis)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Softmax: turns a vector of scores (logits) into probabilities.

    .. math:: \operatorname{softmax}(x)_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},
              \qquad m = \max_j x_j

    Subtracting the maximum :math:`m` does not change the result (it cancels
    between numerator and denominator) but keeps every exponent :math:`\le 0`,
    so nothing overflows even for scores of 1000.

    Parameters
    ----------
    x : array_like
        Scores, at least 1-D; usually ``(batch, classes)``.
    axis : int
        The axis that holds the classes (the last by default).

    Returns
    -------
    ndarray
        Non-negative values summing to 1 along ``axis``, same shape as ``x``.
    """
    x = as_array(x, "x", "softmax")
    if x.ndim == 0:
        raise ValueError("softmax: x must be at least 1-D (the classes); received a scalar")
    axis = _check_axis(axis, x.ndim, "x", "softmax")
    if x.shape[axis] == 0:
        raise ValueError(
            f"softmax: x must hold at least one class along axis={axis}; received shape {x.shape}"
        )
    with np.errstate(under="ignore"):  # e^{-1000} -> 0 is the right answer
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(
    probs: ArrayLike, grad_out: ArrayLike, axis: int = -1
) -> np.ndarray:
    r"""Backpropagate through softmax: the Jacobian-vector product.

    With :math:`p = \operatorname{softmax}(x)` the Jacobian is
    :math:`\partial p_i / \partial x_j = p_i(\delta_{ij} - p_j)`, so for an
    upstream gradient :math:`g = \partial L / \partial p`

    .. math:: \frac{\partial L}{\partial x_j} = p_j \Big(g_j - \sum_i g_i\, p_i\Big)

    Parameters
    ----------
    probs : array_like
        The softmax output :math:`p` (not the scores), at least 1-D.
    grad_out : array_like
        :math:`\partial L / \partial p`, same shape as ``probs``.
    axis : int
        The axis softmax was taken over.

    Returns
    -------
    ndarray
        :math:`\partial L / \partial x`, same shape as ``probs``.
    """
    func = "softmax_backward"
    p = as_array(probs, "probs", func)
    g = as_array(grad_out, "grad_out", func)
    if p.ndim == 0:
        raise ValueError(f"{func}: probs must be at least 1-D (the classes); received a scalar")
    same_shape(p, g, ("probs", "grad_out"), func)
    axis = _check_axis(axis, p.ndim, "probs", func)
    with np.errstate(under="ignore"):
        return p * (g - np.sum(g * p, axis=axis, keepdims=True))


class ActivationPair(NamedTuple):
    """An element-wise activation: ``fn`` is :math:`f`, ``grad`` is :math:`f'` (of the pre-activation)."""

    fn: Callable[[ArrayLike], np.ndarray]
    grad: Callable[[ArrayLike], np.ndarray]


#: Element-wise activations by Keras name: ``ACTIVATIONS[name].fn`` is :math:`f`,
#: ``ACTIVATIONS[name].grad`` is :math:`f'`, taking the pre-activation (an entry is
#: also the pair ``(f, f')``). Softmax is absent: its derivative is a Jacobian (see
#: :func:`softmax_backward`).
ACTIVATIONS: dict[str, ActivationPair] = {
    "step": ActivationPair(step, step_grad),
    "linear": ActivationPair(linear, linear_grad),
    "sigmoid": ActivationPair(sigmoid, sigmoid_grad),
    "tanh": ActivationPair(tanh, tanh_grad),
    "relu": ActivationPair(relu, relu_grad),
    "leaky_relu": ActivationPair(leaky_relu, leaky_relu_grad),
}

#: What a layer's ``activation=`` accepts: every key of :data:`ACTIVATIONS`, and ``"softmax"``.
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS) + ("softmax",)


def activate(name: str, z: ArrayLike) -> np.ndarray:
    r"""A layer's activation :math:`a = f(z)`, by name (softmax over the last axis).

    Parameters
    ----------
    name : str
        One of :data:`ACTIVATION_NAMES`.
    z : array_like
        Pre-activations; ``(batch, ...)`` for ``"softmax"``.

    Returns
    -------
    ndarray
        Same shape as ``z`` (``z`` itself for ``"linear"``).
    """
    if name == "linear":
        return z
    if name == "softmax":
        return softmax(z, axis=-1)
    return ACTIVATIONS[one_of(name, "name", "activate", ACTIVATION_NAMES)].fn(z)


def activate_backward(name: str, z: np.ndarray, a: np.ndarray, grad_a: ArrayLike,
                      func: str = "activate_backward") -> np.ndarray:
    r""":math:`\partial L/\partial z` from :math:`\partial L/\partial a`, where :math:`a = f(z)`.

    .. math:: \frac{\partial L}{\partial z} = \frac{\partial L}{\partial a} \odot f'(z)

    (the Jacobian-vector product :func:`softmax_backward` for ``"softmax"``).

    Parameters
    ----------
    name : str
        One of :data:`ACTIVATION_NAMES`.
    z, a : ndarray
        The pre-activation and the activation the forward pass computed.
    grad_a : array_like
        :math:`\partial L/\partial a`; refused unless it has ``z``'s shape (it would
        otherwise broadcast silently).
    func : str
        Who is asking (a layer's repr), for the error message.
    """
    grad_a = check_grad_out(grad_a, z.shape, func)
    if name == "linear":
        return grad_a
    if name == "softmax":  # the softmax mixes a row: a Jacobian-vector product
        return softmax_backward(a, grad_a, axis=-1)
    return grad_a * ACTIVATIONS[one_of(name, "name", func, ACTIVATION_NAMES)].grad(z)
