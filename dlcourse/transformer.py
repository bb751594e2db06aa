r"""A small Transformer encoder in NumPy, built from dlcourse's layers.

One **encoder block** (Vaswani et al., 2017, "post-norm", as in the paper):

.. math::
    H = \operatorname{LayerNorm}\big(X + \operatorname{MultiHead}(X)\big), \qquad
    \operatorname{Block}(X) = \operatorname{LayerNorm}\big(H + \operatorname{FFN}(H)\big),

with the position-wise feed-forward network
:math:`\operatorname{FFN}(h) = \max(0, h W_1 + b_1) W_2 + b_2` applied to every position
on its own. :class:`TokenTagger` puts a token **embedding** and the sinusoidal positional
encoding in front of the blocks and a dense layer behind them that scores every token
of the vocabulary at every position: it reads a sequence and writes one of the same
length (the reversal and sorting tasks of :func:`dlcourse.data.make_token_sequences`).
Every part has a forward and a backward pass (the :mod:`dlcourse.layers` protocol), so
:func:`train_tagger` trains it with :class:`dlcourse.optimizers.Adam`.
"""

from __future__ import annotations

import numpy as np

from . import losses as _losses
from . import optimizers as _opt
from ._validate import as_array, as_rng, check_grad_out, positive_float, positive_int
from .attention import MultiHeadAttention, positional_encoding
from .layers import Dense, Layer
from .normalization import LayerNormalization

__all__ = ["Embedding", "EncoderBlock", "TokenTagger", "train_tagger", "token_accuracy"]


def _tokens(tokens, vocab: int, owner: str) -> np.ndarray:
    t = np.asarray(tokens)
    if t.ndim != 2 or t.dtype.kind not in "iu":
        raise ValueError(f"{owner}: tokens must be a 2-D integer array (batch, time); "
                         f"received {t.dtype} array of shape {t.shape}")
    if t.size and (t.min() < 0 or t.max() >= vocab):
        raise ValueError(f"{owner}: tokens must be in [0, {vocab}); "
                         f"received values from {t.min()} to {t.max()}")
    return t


class Embedding(Layer):
    r"""A lookup table: token :math:`i` becomes row :math:`i` of :math:`E` (vocab, d).

    Backward adds each position's gradient into the row of its token,
    :math:`\partial L/\partial E_i = \sum_{t:\,x_t = i} \partial L/\partial y_t`
    (``keras.layers.Embedding`` keeps the same (vocab, d) table, initialised
    uniformly in [-0.05, 0.05]).
    """

    def __init__(self, vocab: int, d_model: int, rng=None):
        super().__init__()
        self.vocab = positive_int(vocab, "vocab", "Embedding")
        self.d_model = positive_int(d_model, "d_model", "Embedding")
        rng = as_rng(rng, "Embedding")
        self.params = {"E": rng.uniform(-0.05, 0.05, size=(self.vocab, self.d_model))}
        self.grads = {"E": np.zeros_like(self.params["E"])}
        self._tokens = None

    def forward(self, tokens, training=False):
        self._tokens = _tokens(tokens, self.vocab, repr(self))
        return self.params["E"][self._tokens]

    def backward(self, grad_out):
        t = self.saved("_tokens")
        g = check_grad_out(grad_out, t.shape + (self.d_model,), f"{self!r}.backward")
        self.grads["E"][...] = 0.0
        np.add.at(self.grads["E"], t, g)
        return None  # tokens are not differentiable

    def __repr__(self):
        return f"Embedding({self.vocab}, {self.d_model})"


class _PositionWise(Layer):
    """A layer for (batch, features) applied at every position of (batch, time, features)."""

    def __init__(self, layer: Dense):
        super().__init__()
        self.layer = layer
        self.params, self.grads = layer.params, layer.grads
        self._shape = None

    def forward(self, x, training=False):
        self._shape = x.shape
        out = self.layer.forward(x.reshape(-1, x.shape[-1]), training)
        return out.reshape(x.shape[:-1] + (out.shape[-1],))

    def backward(self, grad_out):
        shape = self.saved("_shape")
        g = self.layer.backward(grad_out.reshape(-1, grad_out.shape[-1]))
        return g.reshape(shape)

    def __repr__(self):
        return repr(self.layer)


class EncoderBlock(Layer):
    r"""One post-norm Transformer encoder block (the module docstring's formula).

    Parameters
    ----------
    d_model : int
        Width of the vectors at every position.
    num_heads, key_dim : int
        Of the :class:`~dlcourse.attention.MultiHeadAttention`.
    d_ff : int
        Width of the hidden layer of the feed-forward network.
    """

    def __init__(self, d_model: int, num_heads: int, key_dim: int, d_ff: int, rng=None):
        super().__init__()
        rng = as_rng(rng, "EncoderBlock")
        self.attention = MultiHeadAttention(d_model, num_heads, key_dim, rng=rng)
        self.norm1 = LayerNormalization(d_model)
        self.ff1 = _PositionWise(Dense(d_model, positive_int(d_ff, "d_ff", "EncoderBlock"), "relu", rng=rng))
        self.ff2 = _PositionWise(Dense(d_ff, d_model, rng=rng))
        self.norm2 = LayerNormalization(d_model)
        self.parts = [self.attention, self.norm1, self.ff1, self.ff2, self.norm2]

    def forward(self, x, training=False, mask=None):
        h = self.norm1.forward(x + self.attention.forward(x, mask=mask))
        return self.norm2.forward(h + self.ff2.forward(self.ff1.forward(h)))

    def backward(self, grad_out):
        g = self.norm2.backward(grad_out)                    # d/d(h + FFN(h))
        g_h = g + self.ff1.backward(self.ff2.backward(g))    # residual + FFN path
        g = self.norm1.backward(g_h)                         # d/d(x + MHA(x))
        return g + self.attention.backward(g)                # residual + attention path

    def parameters(self):
        return [(p.params[k], p.grads[k]) for p in self.parts for k in p.params]

    def __repr__(self):
        a = self.attention
        return f"EncoderBlock(d_model={a.d_model}, heads={a.num_heads}, d_ff={self.ff1.layer.n_out})"


class TokenTagger:
    r"""Embedding + positional encoding, encoder blocks, and a score per token per position.

    .. math::
        X_0 = E[\text{tokens}] + PE, \qquad X_\ell = \operatorname{Block}_\ell(X_{\ell-1}),
        \qquad \text{logits} = X_L W + b

    ``forward(tokens)`` maps (batch, time) integers to (batch, time, vocab) logits.
    """

    def __init__(self, vocab: int, length: int, d_model: int = 32, num_heads: int = 2,
                 d_ff: int = 64, num_blocks: int = 1, rng=None):
        func = "TokenTagger"
        rng = as_rng(rng, func)
        self.vocab = positive_int(vocab, "vocab", func)
        self.length = positive_int(length, "length", func)
        d_model = positive_int(d_model, "d_model", func)
        num_heads = positive_int(num_heads, "num_heads", func)
        if d_model % num_heads:
            raise ValueError(f"{func}: d_model must be a multiple of num_heads; "
                             f"received d_model={d_model}, num_heads={num_heads}")
        self.embedding = Embedding(vocab, d_model, rng=rng)
        self.pe = positional_encoding(self.length, d_model)
        self.blocks = [EncoderBlock(d_model, num_heads, d_model // num_heads, d_ff, rng=rng)
                       for _ in range(positive_int(num_blocks, "num_blocks", func))]
        self.head = _PositionWise(Dense(d_model, vocab, rng=rng))

    def forward(self, tokens, training: bool = False, mask=None) -> np.ndarray:
        tokens = _tokens(tokens, self.vocab, repr(self))
        if tokens.shape[1] != self.length:
            raise ValueError(f"{self!r}: tokens must have {self.length} positions; "
                             f"received shape {tokens.shape}")
        x = self.embedding.forward(tokens) + self.pe
        for block in self.blocks:
            x = block.forward(x, mask=mask)
        return self.head.forward(x)

    __call__ = forward

    def backward(self, grad_logits) -> None:
        g = self.head.backward(grad_logits)
        for block in reversed(self.blocks):
            g = block.backward(g)
        self.embedding.backward(g)

    def attention_weights(self) -> list[np.ndarray]:
        """Each block's attention weights from the last forward pass, (batch, heads, T, T)."""
        return [b.attention.attention_weights for b in self.blocks]

    def parameters(self):
        pairs = [(self.embedding.params["E"], self.embedding.grads["E"])]
        for b in self.blocks:
            pairs += b.parameters()
        return pairs + [(self.head.params[k], self.head.grads[k]) for k in self.head.params]

    @property
    def n_params(self) -> int:
        return sum(p.size for p, _ in self.parameters())

    def __repr__(self):
        return f"TokenTagger(vocab={self.vocab}, length={self.length}, blocks={len(self.blocks)})"


def token_accuracy(y_true, logits) -> tuple[float, float]:
    """(fraction of tokens right, fraction of whole sequences right) of argmax predictions."""
    y = np.asarray(y_true)
    logits = as_array(logits, "logits", "token_accuracy", ndim=3, layout="(batch, time, vocab)")
    if y.shape != logits.shape[:2]:
        raise ValueError(f"token_accuracy: y_true must have shape {logits.shape[:2]} (batch, time); "
                         f"received shape {y.shape}")
    right = logits.argmax(axis=-1) == y
    return float(right.mean()), float(right.all(axis=1).mean())


def train_tagger(model: TokenTagger, x, y, *, epochs: int = 10, batch_size: int = 64,
                 learning_rate: float = 0.005, seed: int = 0) -> list[float]:
    r"""Train a :class:`TokenTagger` with Adam on the mean per-token cross-entropy.

    .. math:: L = -\frac{1}{NT}\sum_{n,t} \log \operatorname{softmax}(z_{n,t})_{y_{n,t}}

    Returns the mean training loss of each epoch.
    """
    func = "train_tagger"
    if not isinstance(model, TokenTagger):
        raise TypeError(f"{func}: model must be a TokenTagger; received {type(model).__name__}")
    x = _tokens(x, model.vocab, func)
    y = _tokens(y, model.vocab, func)
    if x.shape != y.shape:
        raise ValueError(f"{func}: x and y must have the same shape; received {x.shape} and {y.shape}")
    epochs = positive_int(epochs, "epochs", func)
    batch_size = positive_int(batch_size, "batch_size", func)
    opt = _opt.Adam(positive_float(learning_rate, "learning_rate", func))
    rng = np.random.default_rng(seed)
    params = model.parameters()
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            logits = model.forward(x[idx], training=True)
            flat, labels = logits.reshape(-1, model.vocab), y[idx].reshape(-1)
            total += _losses.softmax_crossentropy(labels, flat) * len(idx)
            model.backward(_losses.softmax_crossentropy_grad(labels, flat).reshape(logits.shape))
            opt.step([p for p, _ in params], [g for _, g in params])
        history.append(total / len(x))
    return history
