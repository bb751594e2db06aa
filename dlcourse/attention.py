r"""Attention: scaled dot-product attention, masks, multi-head attention, positions.

**Scaled dot-product attention** turns queries :math:`Q` (:math:`T_q \times d_k`), keys
:math:`K` (:math:`T_k \times d_k`) and values :math:`V` (:math:`T_k \times d_v`) into one
output per query, a weighted mean of the values:

.. math::
    S = \frac{Q K^\top}{\sqrt{d_k}}, \qquad
    A = \operatorname{softmax}_{\text{row}}(S), \qquad
    \operatorname{Attention}(Q, K, V) = A V.

A **mask** (boolean, ``True`` where a query may look at a key, as in Keras) sets the
scores it forbids to a large negative number, so their weights are 0. Its backward
pass, with :math:`G = \partial L/\partial (AV)`:

.. math::
    \frac{\partial L}{\partial V} = A^\top G, \quad
    \frac{\partial L}{\partial A} = G V^\top, \quad
    \frac{\partial L}{\partial S} = A \odot \Big(\frac{\partial L}{\partial A}
    - \operatorname{rowsum}\big(A \odot \tfrac{\partial L}{\partial A}\big)\Big), \quad
    \frac{\partial L}{\partial Q} = \frac{1}{\sqrt{d_k}}\frac{\partial L}{\partial S} K, \quad
    \frac{\partial L}{\partial K} = \frac{1}{\sqrt{d_k}}\Big(\frac{\partial L}{\partial S}\Big)^{\!\top} Q.

:class:`MultiHeadAttention` runs :math:`h` attentions side by side on learned projections
and mixes their outputs, with the weight layout of ``keras.layers.MultiHeadAttention``;
:func:`positional_encoding` gives the sinusoidal position vectors of Vaswani et al.
Everything is float64.
"""

from __future__ import annotations

import numpy as np

from . import activations as _act
from ._validate import as_array, as_rng, check_grad_out, positive_int
from .layers import Layer

__all__ = [
    "scaled_dot_product_attention",
    "attention_backward",
    "causal_mask",
    "padding_mask",
    "positional_encoding",
    "MultiHeadAttention",
]

#: The score given to a masked position (Keras uses the same order of magnitude).
MASKED_SCORE = -1e9


def _check_mask(mask, shape: tuple, func: str) -> np.ndarray | None:
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.dtype != bool:
        raise TypeError(f"{func}: mask must be boolean (True where a query may attend to a key); "
                        f"received dtype {m.dtype}")
    try:
        np.broadcast_shapes(m.shape, shape)
    except ValueError:
        raise ValueError(f"{func}: mask must broadcast to the scores' shape {shape} "
                         f"(..., queries, keys); received shape {m.shape}") from None
    return m


def scaled_dot_product_attention(q, k, v, mask=None):
    r"""Scaled dot-product attention, :math:`\operatorname{softmax}(QK^\top/\sqrt{d_k})\,V`.

    Parameters
    ----------
    q : array_like
        Queries, shape (..., T_q, d_k).
    k : array_like
        Keys, shape (..., T_k, d_k).
    v : array_like
        Values, shape (..., T_k, d_v).
    mask : array_like of bool, optional
        Broadcastable to (..., T_q, T_k); ``True`` where the query may attend to the key.

    Returns
    -------
    out : ndarray
        Shape (..., T_q, d_v).
    weights : ndarray
        The attention weights :math:`A`, shape (..., T_q, T_k); each row sums to 1.
    """
    func = "scaled_dot_product_attention"
    q = as_array(q, "q", func)
    k = as_array(k, "k", func)
    v = as_array(v, "v", func)
    for name, a in (("q", q), ("k", k), ("v", v)):
        if a.ndim < 2:
            raise ValueError(f"{func}: {name} must be at least 2-D (..., positions, features); "
                             f"received shape {a.shape}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"{func}: q and k must have the same last axis d_k; "
                         f"received q.shape={q.shape} and k.shape={k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"{func}: k and v must have one row per key (same T_k); "
                         f"received k.shape={k.shape} and v.shape={v.shape}")
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    mask = _check_mask(mask, scores.shape, func)
    if mask is not None:
        scores = np.where(mask, scores, MASKED_SCORE)
    weights = _act.softmax(scores, axis=-1)
    return weights @ v, weights


def attention_backward(grad_out, q, k, v, weights) -> dict[str, np.ndarray]:
    r"""Gradients of scaled dot-product attention with respect to q, k and v.

    Takes the forward pass's inputs and its ``weights`` (:math:`A`), and
    :math:`G = \partial L/\partial\,\text{out}`; the formulas are in the module's
    docstring. Masked weights are 0, so no gradient flows through masked scores.

    Returns
    -------
    dict
        ``{"q", "k", "v"}``, with the shapes of the inputs.
    """
    func = "attention_backward"
    q, k, v, weights = (as_array(a, n, func) for a, n in ((q, "q"), (k, "k"), (v, "v"), (weights, "weights")))
    out_shape = weights.shape[:-1] + v.shape[-1:]
    grad_out = check_grad_out(grad_out, out_shape, func)
    dv = np.swapaxes(weights, -1, -2) @ grad_out
    dA = grad_out @ np.swapaxes(v, -1, -2)
    dS = weights * (dA - np.sum(dA * weights, axis=-1, keepdims=True))
    scale = 1.0 / np.sqrt(q.shape[-1])
    dq = dS @ k * scale
    dk = np.swapaxes(dS, -1, -2) @ q * scale
    # a batch axis broadcast in the forward pass gets its gradient summed back
    return {"q": _unbroadcast(dq, q.shape), "k": _unbroadcast(dk, k.shape), "v": _unbroadcast(dv, v.shape)}


def _unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    axes = tuple(i for i, (a, b) in enumerate(zip(g.shape, shape)) if b == 1 and a != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def causal_mask(length: int) -> np.ndarray:
    r"""The mask that lets position :math:`t` attend only to positions :math:`\le t`.

    Returns a (length, length) boolean lower-triangular matrix (``True`` on and below
    the diagonal): a decoder cannot look at the tokens it has yet to predict.
    """
    length = positive_int(length, "length", "causal_mask")
    return np.tril(np.ones((length, length), dtype=bool))


def padding_mask(lengths, max_length: int) -> np.ndarray:
    r"""A key mask for sequences padded to ``max_length``: ``True`` on real tokens.

    Returns shape (batch, 1, max_length), which broadcasts over the queries of a
    (batch, T_q, T_k) score matrix; combine it with :func:`causal_mask` by ``&``.

    Parameters
    ----------
    lengths : array_like of int
        The true length of each sequence, each in [1, max_length].
    max_length : int
    """
    func = "padding_mask"
    max_length = positive_int(max_length, "max_length", func)
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or lengths.dtype.kind not in "iu":
        raise ValueError(f"{func}: lengths must be a 1-D array of integers (one per sequence); "
                         f"received {lengths.dtype} array of shape {lengths.shape}")
    if lengths.size and (lengths.min() < 1 or lengths.max() > max_length):
        raise ValueError(f"{func}: every length must be in [1, {max_length}]; "
                         f"received values from {lengths.min()} to {lengths.max()}")
    return (np.arange(max_length)[None, :] < lengths[:, None])[:, None, :]


def positional_encoding(length: int, depth: int) -> np.ndarray:
    r"""Sinusoidal positional encodings (Vaswani et al., 2017).

    .. math::
        PE_{p, 2i} = \sin\!\big(p / 10000^{2i/d}\big), \qquad
        PE_{p, 2i+1} = \cos\!\big(p / 10000^{2i/d}\big)

    for positions :math:`p = 0, \dots, \text{length}-1` and :math:`d` = ``depth``: each
    pair of columns is a clock turning at its own speed, from one turn every
    :math:`2\pi` positions down to one every :math:`2\pi \cdot 10000`.

    Returns
    -------
    ndarray
        Shape (length, depth), values in [-1, 1].
    """
    length = positive_int(length, "length", "positional_encoding")
    depth = positive_int(depth, "depth", "positional_encoding")
    p = np.arange(length)[:, None]
    i = np.arange(0, depth, 2)[None, :]
    angle = p / 10000.0 ** (i / depth)
    pe = np.empty((length, depth))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : depth // 2])
    return pe


class MultiHeadAttention(Layer):
    r"""Multi-head self-attention with the weights of ``keras.layers.MultiHeadAttention``.

    For input :math:`X` (batch, T, d_model) and each head :math:`j = 1..h`:

    .. math::
        Q_j = X W^Q_j + b^Q_j, \quad K_j = X W^K_j + b^K_j, \quad V_j = X W^V_j + b^V_j,
        \qquad O_j = \operatorname{Attention}(Q_j, K_j, V_j),

    .. math::
        \operatorname{MultiHead}(X) = \sum_j O_j W^O_j + b^O
        = [O_1, \dots, O_h]\, W^O + b^O.

    ``params`` holds Keras's eight weights in its order: ``Wq`` (d_model, h, key_dim),
    ``bq`` (h, key_dim), ``Wk``, ``bk``, ``Wv``, ``bv`` (same shapes), ``Wo``
    (h, key_dim, d_model), ``bo`` (d_model,). Differences from Keras: self-attention
    only (``forward(x, mask=...)`` attends from ``x`` to ``x``; Keras's layer takes
    separate query, value and key), value_dim = key_dim, no dropout.
    The weights of the last forward pass are kept in ``attention_weights``
    (batch, h, T, T), what Keras returns with ``return_attention_scores=True``.
    """

    def __init__(self, d_model: int, num_heads: int, key_dim: int, rng=None):
        super().__init__()
        func = "MultiHeadAttention"
        self.d_model = positive_int(d_model, "d_model", func)
        self.num_heads = positive_int(num_heads, "num_heads", func)
        self.key_dim = positive_int(key_dim, "key_dim", func)
        rng = as_rng(rng, func)
        d, h, k = self.d_model, self.num_heads, self.key_dim

        def glorot(*shape, fan_in, fan_out):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            return rng.uniform(-limit, limit, size=shape)

        self.params = {}
        for name in ("q", "k", "v"):
            self.params[f"W{name}"] = glorot(d, h, k, fan_in=d, fan_out=h * k)
            self.params[f"b{name}"] = np.zeros((h, k))
        self.params["Wo"] = glorot(h, k, d, fan_in=h * k, fan_out=d)
        self.params["bo"] = np.zeros(d)
        self.grads = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.attention_weights = None
        self._cache = None

    def get_weights(self) -> list[np.ndarray]:
        """The eight weights in Keras's order (for ``set_weights`` on a Keras layer)."""
        return [self.params[n] for n in ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")]

    def set_weights(self, weights) -> None:
        """Copy eight weights in Keras's order (from a Keras layer's ``get_weights``)."""
        names = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")
        weights = list(weights)
        if len(weights) != 8:
            raise ValueError(f"{self!r}.set_weights: expected 8 arrays {names}; received {len(weights)}")
        for n, w in zip(names, weights):
            w = np.asarray(w, dtype=np.float64)
            if w.shape != self.params[n].shape:
                raise ValueError(f"{self!r}.set_weights: {n} must have shape {self.params[n].shape}; "
                                 f"received shape {w.shape}")
            self.params[n][...] = w

    def forward(self, x, training=False, mask=None):
        x = as_array(x, "x", repr(self))
        if x.ndim != 3 or x.shape[-1] != self.d_model:
            raise ValueError(f"{self!r}: expected input of shape (batch, time, {self.d_model}); "
                             f"received shape {x.shape}")
        p = self.params
        if mask is not None:
            mask = np.asarray(mask)
            if mask.ndim == 3:  # (batch, T_q, T_k), Keras's attention_mask: same for every head
                mask = mask[:, None]
        # (batch, T, d) x (d, h, k) -> (batch, h, T, k); tensordot is a single matrix product
        qkv = [np.tensordot(x, p[f"W{n}"], axes=(2, 0)).transpose(0, 2, 1, 3) + p[f"b{n}"][None, :, None, :]
               for n in ("q", "k", "v")]
        o, a = scaled_dot_product_attention(*qkv, mask=mask)
        self.attention_weights = a
        self._cache = (x, qkv, o, a)
        return np.tensordot(o, p["Wo"], axes=([1, 3], [0, 1])) + p["bo"]   # sum over heads

    def backward(self, grad_out):
        x, (q, k, v), o, a = self.saved("_cache")
        g = check_grad_out(grad_out, x.shape, f"{self!r}.backward")
        p, grads = self.params, self.grads
        grads["Wo"][...] = np.tensordot(o, g, axes=([0, 2], [0, 1]))
        grads["bo"][...] = g.sum(axis=(0, 1))
        do = np.tensordot(g, p["Wo"], axes=(2, 2)).transpose(0, 2, 1, 3)
        d = attention_backward(do, q, k, v, a)
        dx = np.zeros_like(x)
        for n in ("q", "k", "v"):
            grads[f"W{n}"][...] = np.tensordot(x, d[n], axes=([0, 1], [0, 2]))
            grads[f"b{n}"][...] = d[n].sum(axis=(0, 2))
            dx += np.tensordot(d[n], p[f"W{n}"], axes=([1, 3], [1, 2]))
        return dx

    def __repr__(self):
        return f"MultiHeadAttention(d_model={self.d_model}, heads={self.num_heads}, key_dim={self.key_dim})"
