r"""Recurrent cells in NumPy: a simple RNN with backpropagation through time, GRU, LSTM.

A recurrent network reads a sequence one step at a time and carries a **hidden
state** :math:`h_t` from step to step. The articles write the simple cell as

.. math:: h_t = f(W x_t + U h_{t-1} + b)

with column vectors. Code works on a batch of row vectors, so here
:math:`h_t = f(x_t W + h_{t-1} U + b)` with ``x_t`` of shape (batch, features):
the same equation transposed, and the weight layout of Keras, so weights copy across
unchanged:

* ``kernel`` (:math:`W`): (features, k * units), acting on the input;
* ``recurrent_kernel`` (:math:`U`): (units, k * units), acting on the previous state;
* ``bias``: (k * units,), or (2, 3 * units) for a GRU with ``reset_after=True``;

where ``k`` is 1 for ``keras.layers.SimpleRNN``, 3 for ``GRU`` (gates in the order
z, r, h) and 4 for ``LSTM`` (gates i, f, c, o). Sequences are (batch, time, features)
and every ``*_forward`` returns all the hidden states, (batch, time, units), like a
Keras layer with ``return_sequences=True``.

Only the simple RNN has a backward pass here (:func:`rnn_backward`); it is enough to
see why gradients vanish through long sequences, which is what gates repair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import activations as _act
from ._validate import as_array, flag, one_of

__all__ = [
    "rnn_step",
    "rnn_forward",
    "rnn_backward",
    "RNNCache",
    "gated_update",
    "gru_step",
    "gru_forward",
    "lstm_step",
    "lstm_forward",
]

_SEQ = "(batch, time, features)"


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------


def _check_weights(func, n_features, kernel, recurrent_kernel, bias, gates, *,
                   bias_rows=None, names=("kernel", "recurrent_kernel", "bias")):
    """Check a Keras-layout weight triple; return (kernel, recurrent_kernel, bias, units)."""
    kn, rn, bn = names
    rk = as_array(recurrent_kernel, rn, func, ndim=2, layout=f"(units, {gates} * units)")
    units = rk.shape[0]
    if rk.shape != (units, gates * units):
        raise ValueError(
            f"{func}: {rn} must have shape (units, {gates} * units); "
            f"received {rn}.shape={rk.shape}"
        )
    k = as_array(kernel, kn, func, ndim=2, layout=f"(features, {gates} * units)")
    if k.shape != (n_features, gates * units):
        raise ValueError(
            f"{func}: {kn} must have shape (features, {gates} * units) = "
            f"({n_features}, {gates * units}) for inputs with {n_features} features and "
            f"{units} units; received {kn}.shape={k.shape} and {rn}.shape={rk.shape}"
        )
    want = (gates * units,) if bias_rows is None else (bias_rows, gates * units)
    b = as_array(bias, bn, func, ndim=len(want))
    if b.shape != want:
        raise ValueError(
            f"{func}: {bn} must have shape {want} for {units} units; received {bn}.shape={b.shape}"
        )
    return k, rk, b, units


def _check_state(h, name, func, batch, units):
    """An initial or previous state: (batch, units), zeros when ``None``."""
    if h is None:
        return np.zeros((batch, units))
    h = as_array(h, name, func, ndim=2, layout="(batch, units)")
    if h.shape != (batch, units):
        raise ValueError(
            f"{func}: {name} must have shape (batch, units) = ({batch}, {units}); "
            f"received {name}.shape={h.shape}"
        )
    return h


def _check_sequence(x, func):
    return as_array(x, "x", func, ndim=3, layout=_SEQ)


def _check_step_input(x_t, func):
    return as_array(x_t, "x_t", func, ndim=2, layout="(batch, features)")


# ---------------------------------------------------------------------------
# Simple RNN
# ---------------------------------------------------------------------------


def _activation(name, func):
    one_of(name, "activation", func, tuple(_act.ACTIVATIONS))
    return _act.ACTIVATIONS[name]


def rnn_step(x_t, h_prev, W, U, b, activation="tanh") -> np.ndarray:
    r"""One step of a simple recurrent cell (``keras.layers.SimpleRNN``).

    .. math:: h_t = f(x_t W + h_{t-1} U + b)

    (the articles' :math:`h_t = f(W x_t + U h_{t-1} + b)` for row vectors).

    Parameters
    ----------
    x_t : array_like, shape (batch, features)
        The inputs at step t.
    h_prev : array_like, shape (batch, units)
        The previous hidden state :math:`h_{t-1}`.
    W : array_like, shape (features, units)
        Input weights (Keras ``kernel``).
    U : array_like, shape (units, units)
        Recurrent weights (Keras ``recurrent_kernel``).
    b : array_like, shape (units,)
        Bias.
    activation : str
        A key of :data:`dlcourse.activations.ACTIVATIONS`; ``"tanh"`` like Keras.

    Returns
    -------
    ndarray, shape (batch, units)
    """
    func = "rnn_step"
    x_t = _check_step_input(x_t, func)
    W, U, b, units = _check_weights(func, x_t.shape[1], W, U, b, 1, names=("W", "U", "b"))
    h_prev = _check_state(h_prev, "h_prev", func, x_t.shape[0], units)
    f = _activation(activation, func).fn
    return f(x_t @ W + h_prev @ U + b)


@dataclass
class RNNCache:
    """What :func:`rnn_forward` keeps for :func:`rnn_backward`."""

    x: np.ndarray  # (batch, time, features)
    h0: np.ndarray  # (batch, units)
    z: np.ndarray  # pre-activations, (batch, time, units)
    h: np.ndarray  # hidden states, (batch, time, units)
    W: np.ndarray
    U: np.ndarray
    activation: str


def rnn_forward(x, W, U, b, h0=None, activation="tanh"):
    r"""Run a simple RNN over a whole sequence (the network "unrolled" in time).

    .. math:: z_t = x_t W + h_{t-1} U + b, \qquad h_t = f(z_t),
        \qquad t = 1, \dots, T

    starting from :math:`h_0` (zeros by default). The same :math:`W, U, b` serve at
    every step. Equals ``keras.layers.SimpleRNN(units, return_sequences=True)`` with
    its weights.

    Parameters
    ----------
    x : array_like, shape (batch, time, features)
    W, U, b, activation
        As in :func:`rnn_step`.
    h0 : array_like, shape (batch, units), optional
        The initial state.

    Returns
    -------
    h_all : ndarray, shape (batch, time, units)
        :math:`h_1, \dots, h_T`.
    cache : RNNCache
        For :func:`rnn_backward`.
    """
    func = "rnn_forward"
    x = _check_sequence(x, func)
    W, U, b, units = _check_weights(func, x.shape[2], W, U, b, 1, names=("W", "U", "b"))
    h0 = _check_state(h0, "h0", func, x.shape[0], units)
    f = _activation(activation, func).fn
    n, steps, _ = x.shape
    z = np.empty((n, steps, units))
    h = np.empty((n, steps, units))
    xw = x @ W + b  # the input part of every step at once
    h_prev = h0
    for t in range(steps):
        z[:, t] = xw[:, t] + h_prev @ U
        h[:, t] = h_prev = f(z[:, t])
    return h, RNNCache(x, h0, z, h, W, U, activation)


def rnn_backward(grad_h_all, cache: RNNCache) -> dict[str, np.ndarray]:
    r"""Backpropagation through time (BPTT) for :func:`rnn_forward`.

    The loss reaches :math:`h_t` both directly (``grad_h_all[:, t]``) and through
    every later state. Walking back from :math:`t = T` with
    :math:`\partial L/\partial h_{T+1} \equiv 0`:

    .. math::
        \frac{\partial L}{\partial h_t} = G_t + \delta_{t+1} U^\top, \qquad
        \delta_t = \frac{\partial L}{\partial z_t}
                 = \frac{\partial L}{\partial h_t} \odot f'(z_t),

    .. math::
        \frac{\partial L}{\partial W} = \sum_t x_t^\top \delta_t, \quad
        \frac{\partial L}{\partial U} = \sum_t h_{t-1}^\top \delta_t, \quad
        \frac{\partial L}{\partial b} = \sum_t \mathbf 1^\top \delta_t, \quad
        \frac{\partial L}{\partial x_t} = \delta_t W^\top, \quad
        \frac{\partial L}{\partial h_0} = \delta_1 U^\top.

    Each step back multiplies by :math:`\operatorname{diag}(f'(z_t))\,U^\top`: when
    that factor is small (small recurrent weights, saturated tanh) the gradient
    reaching early steps shrinks geometrically with the distance, the **vanishing
    gradient**.

    Parameters
    ----------
    grad_h_all : array_like, shape (batch, time, units)
        :math:`G_t = \partial L/\partial h_t` from the layers above, for every step
        (zeros where the loss does not read :math:`h_t` directly).
    cache : RNNCache
        From :func:`rnn_forward`.

    Returns
    -------
    dict
        ``"x"``, ``"h0"``, ``"W"``, ``"U"``, ``"b"``: the gradient of the loss with
        respect to each, in its shape.
    """
    func = "rnn_backward"
    if not isinstance(cache, RNNCache):
        raise TypeError(
            f"{func}: cache must be the RNNCache returned by rnn_forward; "
            f"received {type(cache).__name__}"
        )
    g = as_array(grad_h_all, "grad_h_all", func, ndim=3, layout="(batch, time, units)")
    if g.shape != cache.h.shape:
        raise ValueError(
            f"{func}: grad_h_all must have the shape of the hidden states {cache.h.shape}; "
            f"received grad_h_all.shape={g.shape}"
        )
    f_grad = _act.ACTIVATIONS[cache.activation].grad
    x, W, U = cache.x, cache.W, cache.U
    dx = np.zeros_like(x)
    dW, dU = np.zeros_like(W), np.zeros_like(U)
    db = np.zeros(U.shape[0])
    dh_next = np.zeros_like(cache.h0)  # dL/dh_t arriving from step t + 1
    for t in reversed(range(x.shape[1])):
        delta = (g[:, t] + dh_next) * f_grad(cache.z[:, t])
        h_prev = cache.h[:, t - 1] if t > 0 else cache.h0
        dW += x[:, t].T @ delta
        dU += h_prev.T @ delta
        db += delta.sum(axis=0)
        dx[:, t] = delta @ W.T
        dh_next = delta @ U.T
    return {"x": dx, "h0": dh_next, "W": dW, "U": dU, "b": db}


# ---------------------------------------------------------------------------
# Gates
# ---------------------------------------------------------------------------


def gated_update(h_prev, h_tilde, a) -> np.ndarray:
    r"""The articles' gated update: blend a candidate state with the previous one.

    .. math:: h_t = a_t \odot \tilde h_t + (1 - a_t) \odot h_{t-1}

    The gate :math:`a_t \in (0, 1)` (a sigmoid output, one value per unit) decides,
    unit by unit, how much of the new candidate :math:`\tilde h_t` to write and how
    much of the old state to keep. With :math:`a_t \approx 0` the state is copied
    unchanged, and so is the gradient flowing back through it: this path is what
    lets gated cells remember across long sequences.

    This is the **update gate** of the GRU (Cho et al., 2014), where it is called
    :math:`z_t`. Keras's ``GRU`` writes the same update the other way round,

    .. math:: h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t,

    which is this function with :math:`z_t = 1 - a_t`: Keras's :math:`z` is the
    fraction *kept*, the articles' :math:`a` the fraction *written*.

    Parameters
    ----------
    h_prev : array_like
        :math:`h_{t-1}`.
    h_tilde : array_like, same shape
        The candidate :math:`\tilde h_t`, e.g. :math:`\tanh(x_t W + h_{t-1} U + b)`.
    a : array_like, same shape (or broadcastable to it)
        The gate, values in [0, 1].

    Returns
    -------
    ndarray
    """
    func = "gated_update"
    h_prev = as_array(h_prev, "h_prev", func)
    h_tilde = as_array(h_tilde, "h_tilde", func)
    if h_prev.shape != h_tilde.shape:
        raise ValueError(
            f"{func}: h_prev and h_tilde must have the same shape; "
            f"received h_prev.shape={h_prev.shape} and h_tilde.shape={h_tilde.shape}"
        )
    a = as_array(a, "a", func)
    try:
        fits = np.broadcast_shapes(a.shape, h_prev.shape) == h_prev.shape
    except ValueError:
        fits = False
    if not fits:  # a gate may broadcast over the state, never grow it
        raise ValueError(
            f"{func}: a must have the shape of h_prev {h_prev.shape} or broadcast to it; "
            f"received a.shape={a.shape}"
        )
    if np.any((a < 0) | (a > 1)):
        raise ValueError(f"{func}: a is a gate and must lie in [0, 1]; received values "
                         f"in [{a.min():g}, {a.max():g}]")
    return a * h_tilde + (1.0 - a) * h_prev


def _gru_cell(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after):
    units = h_prev.shape[1]
    if reset_after:
        mx = x_t @ kernel + bias[0]
        mh = h_prev @ recurrent_kernel + bias[1]
        z = _act.sigmoid(mx[:, :units] + mh[:, :units])
        r = _act.sigmoid(mx[:, units : 2 * units] + mh[:, units : 2 * units])
        h_tilde = _act.tanh(mx[:, 2 * units :] + r * mh[:, 2 * units :])
    else:
        mx = x_t @ kernel + bias
        mh = h_prev @ recurrent_kernel[:, : 2 * units]
        z = _act.sigmoid(mx[:, :units] + mh[:, :units])
        r = _act.sigmoid(mx[:, units : 2 * units] + mh[:, units:])
        h_tilde = _act.tanh(mx[:, 2 * units :] + (r * h_prev) @ recurrent_kernel[:, 2 * units :])
    return z * h_prev + (1.0 - z) * h_tilde  # = gated_update(h_prev, h_tilde, 1 - z)


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=True) -> np.ndarray:
    r"""One step of a GRU cell, exactly as ``keras.layers.GRU`` computes it.

    With the weights split by gate (z: update, r: reset, h: candidate),
    :math:`\sigma` the logistic sigmoid and Keras's default ``reset_after=True``:

    .. math::
        z_t &= \sigma(x_t W_z + b^{x}_z + h_{t-1} U_z + b^{h}_z) \\
        r_t &= \sigma(x_t W_r + b^{x}_r + h_{t-1} U_r + b^{h}_r) \\
        \tilde h_t &= \tanh\big(x_t W_h + b^{x}_h + r_t \odot (h_{t-1} U_h + b^{h}_h)\big) \\
        h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t

    where ``bias[0]`` is :math:`b^x` and ``bias[1]`` is :math:`b^h`. With
    ``reset_after=False`` (the original GRU of Cho et al.) there is one bias, on the
    input side, and the reset gate acts before the product:
    :math:`\tilde h_t = \tanh(x_t W_h + b_h + (r_t \odot h_{t-1}) U_h)`. The last
    line is :func:`gated_update` with :math:`a_t = 1 - z_t`.

    Parameters
    ----------
    x_t : array_like, shape (batch, features)
    h_prev : array_like, shape (batch, units)
    kernel : array_like, shape (features, 3 * units)
    recurrent_kernel : array_like, shape (units, 3 * units)
    bias : array_like, shape (2, 3 * units), or (3 * units,) if ``reset_after=False``
    reset_after : bool

    Returns
    -------
    ndarray, shape (batch, units)
    """
    func = "gru_step"
    x_t = _check_step_input(x_t, func)
    reset_after = flag(reset_after, "reset_after", func)
    kernel, rk, bias, units = _check_weights(func, x_t.shape[1], kernel, recurrent_kernel,
                                             bias, 3, bias_rows=2 if reset_after else None)
    h_prev = _check_state(h_prev, "h_prev", func, x_t.shape[0], units)
    return _gru_cell(x_t, h_prev, kernel, rk, bias, reset_after)


def gru_forward(x, kernel, recurrent_kernel, bias, h0=None, reset_after=True) -> np.ndarray:
    r"""Run a GRU over a sequence: :func:`gru_step` at :math:`t = 1, \dots, T`.

    Equals ``keras.layers.GRU(units, return_sequences=True)`` given its weights.

    Parameters
    ----------
    x : array_like, shape (batch, time, features)
    kernel, recurrent_kernel, bias, reset_after
        As in :func:`gru_step`.
    h0 : array_like, shape (batch, units), optional
        Initial state, zeros by default.

    Returns
    -------
    ndarray, shape (batch, time, units)
        The hidden states :math:`h_1, \dots, h_T`.
    """
    func = "gru_forward"
    x = _check_sequence(x, func)
    reset_after = flag(reset_after, "reset_after", func)
    kernel, rk, bias, units = _check_weights(func, x.shape[2], kernel, recurrent_kernel,
                                             bias, 3, bias_rows=2 if reset_after else None)
    h = _check_state(h0, "h0", func, x.shape[0], units)
    out = np.empty((x.shape[0], x.shape[1], units))
    for t in range(x.shape[1]):
        out[:, t] = h = _gru_cell(x[:, t], h, kernel, rk, bias, reset_after)
    return out


def _lstm_cell(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[1]
    gates = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = _act.sigmoid(gates[:, :units])
    f = _act.sigmoid(gates[:, units : 2 * units])
    c_tilde = _act.tanh(gates[:, 2 * units : 3 * units])
    o = _act.sigmoid(gates[:, 3 * units :])
    c = f * c_prev + i * c_tilde
    return o * _act.tanh(c), c


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    r"""One step of an LSTM cell, exactly as ``keras.layers.LSTM`` computes it.

    With the weights split by gate in Keras's order i (input), f (forget),
    c (candidate), o (output):

    .. math::
        i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) \\
        f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) \\
        \tilde c_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) \\
        o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) \\
        c_t &= f_t \odot c_{t-1} + i_t \odot \tilde c_t \\
        h_t &= o_t \odot \tanh(c_t)

    The cell state :math:`c_t` is the long-term memory: the forget and input gates
    play the roles of :math:`1 - a_t` and :math:`a_t` in :func:`gated_update`, but
    independently of each other.

    Parameters
    ----------
    x_t : array_like, shape (batch, features)
    h_prev, c_prev : array_like, shape (batch, units)
        Previous hidden state and cell state.
    kernel : array_like, shape (features, 4 * units)
    recurrent_kernel : array_like, shape (units, 4 * units)
    bias : array_like, shape (4 * units,)

    Returns
    -------
    h_t, c_t : ndarray, shape (batch, units)
    """
    func = "lstm_step"
    x_t = _check_step_input(x_t, func)
    kernel, rk, bias, units = _check_weights(func, x_t.shape[1], kernel, recurrent_kernel,
                                             bias, 4)
    h_prev = _check_state(h_prev, "h_prev", func, x_t.shape[0], units)
    c_prev = _check_state(c_prev, "c_prev", func, x_t.shape[0], units)
    return _lstm_cell(x_t, h_prev, c_prev, kernel, rk, bias)


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    r"""Run an LSTM over a sequence: :func:`lstm_step` at :math:`t = 1, \dots, T`.

    The hidden states equal ``keras.layers.LSTM(units, return_sequences=True)``
    given its weights.

    Parameters
    ----------
    x : array_like, shape (batch, time, features)
    kernel, recurrent_kernel, bias
        As in :func:`lstm_step`.
    h0, c0 : array_like, shape (batch, units), optional
        Initial hidden and cell states, zeros by default.

    Returns
    -------
    h_all : ndarray, shape (batch, time, units)
        The hidden states :math:`h_1, \dots, h_T` (what Keras returns).
    c_all : ndarray, shape (batch, time, units)
        The cell states :math:`c_1, \dots, c_T`.
    """
    func = "lstm_forward"
    x = _check_sequence(x, func)
    kernel, rk, bias, units = _check_weights(func, x.shape[2], kernel, recurrent_kernel,
                                             bias, 4)
    h = _check_state(h0, "h0", func, x.shape[0], units)
    c = _check_state(c0, "c0", func, x.shape[0], units)
    h_all = np.empty((x.shape[0], x.shape[1], units))
    c_all = np.empty_like(h_all)
    for t in range(x.shape[1]):
        h, c = _lstm_cell(x[:, t], h, c, kernel, rk, bias)
        h_all[:, t], c_all[:, t] = h, c
    return h_all, c_all
