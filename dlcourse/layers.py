r"""Layers of a small neural network, each with a forward and a backward pass.

Every layer follows one protocol (the network of the backpropagation chapters):

* ``forward(x, training=False) -> out`` checks ``x`` (a real, finite array), computes
  the output and saves what the backward pass will need in attributes (``self._x``...);
* ``backward(grad_out) -> grad_in`` receives :math:`\partial L/\partial\,\text{out}`
  (refused unless it has the output's shape), reads the saved values back with
  :meth:`Layer.saved` (so calling it before ``forward`` says "call forward first" on
  every layer), stores the gradients of the layer's parameters in ``grads`` and
  returns :math:`\partial L/\partial x` for the layer below;
* ``params`` and ``grads`` are dicts of arrays with the same keys and shapes.

:class:`Sequential` chains layers: its backward pass is the chain rule applied
layer by layer, from the loss back to the input. Everything is float64.
"""

from __future__ import annotations

import numpy as np

from . import initializers as _init
from . import regularization as _reg
from ._validate import as_array, as_rng, check_grad_out, flag, one_of, positive_float, positive_int
from .activations import ACTIVATION_NAMES, activate, activate_backward

__all__ = ["Layer", "Dense", "Activation", "Flatten", "Dropout", "Sequential"]


class Layer:
    """Base class: empty ``params``/``grads``; subclasses write forward and backward.

    ``forward`` saves what ``backward`` needs in attributes; ``backward`` reads them
    back with :meth:`saved`, so calling ``backward`` before ``forward`` says
    "call forward first" on every layer.
    """

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, x, training: bool = False) -> np.ndarray:
        return self.forward(x, training=training)

    def saved(self, *names: str):
        """The attributes ``names`` that forward saved, one value or a tuple.

        Raises a clear error if forward has not run yet (an attribute missing or None).
        """
        values = tuple(getattr(self, n, None) for n in names)
        if any(v is None for v in values):
            raise RuntimeError(f"{self!r}.backward: call forward first (backward uses its saved values)")
        return values[0] if len(values) == 1 else values

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Dense(Layer):
    r"""Fully connected layer: every output is a weighted sum of every input.

    .. math::
        z = x W + b, \qquad a = f(z)

    with ``x`` of shape (batch, n_in), :math:`W` (n_in, n_out) — the layout of
    ``keras.layers.Dense``'s kernel — and :math:`b` (n_out,). Backward, with
    :math:`\delta = \partial L/\partial z = \partial L/\partial a \odot f'(z)`:

    .. math::
        \frac{\partial L}{\partial W} = x^\top \delta, \qquad
        \frac{\partial L}{\partial b} = \sum_{\text{batch}} \delta, \qquad
        \frac{\partial L}{\partial x} = \delta\, W^\top.

    Parameters
    ----------
    n_in, n_out : int
        Number of input features and of neurons.
    activation : str
        ``"linear"`` (none), ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"``,
        ``"step"`` or ``"softmax"``.
    init : str
        Weight initializer from :mod:`dlcourse.initializers` (biases start at 0).
    rng : numpy.random.Generator, int or None
        Source of the initial weights.
    """

    def __init__(self, n_in: int, n_out: int, activation: str = "linear",
                 init: str = "glorot_uniform", rng=None):
        super().__init__()
        self.n_in = positive_int(n_in, "n_in", "Dense")
        self.n_out = positive_int(n_out, "n_out", "Dense")
        self.activation = one_of(activation, "activation", "Dense", ACTIVATION_NAMES)
        init = one_of(init, "init", "Dense", tuple(_init.INITIALIZERS))
        rng = as_rng(rng, "Dense")
        self.params = {"W": _init.INITIALIZERS[init](self.n_in, self.n_out, rng),
                       "b": np.zeros(self.n_out)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._x = self._z = self._a = None  # saved by forward for backward

    def forward(self, x, training=False):
        x = as_array(x, "x", repr(self))
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ValueError(
                f"{self!r}: expected input of shape (batch, {self.n_in}); "
                f"received shape {x.shape}"
            )
        self._x = x
        self._z = x @ self.params["W"] + self.params["b"]
        self._a = activate(self.activation, self._z)
        return self._a

    def backward(self, grad_out):
        x, z, a = self.saved("_x", "_z", "_a")
        delta = activate_backward(self.activation, z, a, grad_out, f"{self!r}.backward")
        self.grads["W"][...] = x.T @ delta
        self.grads["b"][...] = delta.sum(axis=0)
        return delta @ self.params["W"].T

    def __repr__(self):
        return f"Dense({self.n_in}->{self.n_out}, {self.activation})"


class Activation(Layer):
    r"""An activation function as a layer of its own: :math:`a = f(x)`, element-wise.

    Backward: :math:`\partial L/\partial x = \partial L/\partial a \odot f'(x)`
    (a row-wise Jacobian product for ``"softmax"``).
    """

    def __init__(self, name: str):
        super().__init__()
        self.name = one_of(name, "name", "Activation", ACTIVATION_NAMES)
        self._x = self._a = None

    def forward(self, x, training=False):
        self._x = as_array(x, "x", repr(self))
        self._a = activate(self.name, self._x)
        return self._a

    def backward(self, grad_out):
        x, a = self.saved("_x", "_a")
        return activate_backward(self.name, x, a, grad_out, f"{self!r}.backward")

    def __repr__(self):
        return f"Activation({self.name})"


class Flatten(Layer):
    """Reshape (batch, d1, d2, ...) to (batch, d1*d2*...); backward reshapes back."""

    def __init__(self):
        super().__init__()
        self._shape = None

    def forward(self, x, training=False):
        x = as_array(x, "x", repr(self))
        if x.ndim < 2:
            raise ValueError(
                f"Flatten: input must have a batch axis and at least one more; "
                f"received shape {x.shape}"
            )
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        shape = self.saved("_shape")
        flat = (shape[0], int(np.prod(shape[1:])))
        return check_grad_out(grad_out, flat, f"{self!r}.backward").reshape(shape)


class Dropout(Layer):
    r"""Inverted dropout: in training, zero each input with probability ``rate``.

    .. math:: y = x \odot m, \qquad m_i = \frac{b_i}{1 - \text{rate}}, \qquad
              b_i \sim \text{Bernoulli}(1 - \text{rate})

    so the expected output equals the input and nothing changes at test time
    (``training=False`` returns ``x``). Backward multiplies by the same mask,
    :math:`\partial L/\partial x = m \odot \partial L/\partial y`
    (see :func:`dlcourse.regularization.dropout`).
    """

    def __init__(self, rate: float, rng=None):
        super().__init__()
        rate = positive_float(rate, "rate", "Dropout", allow_zero=True)
        if rate >= 1.0:
            raise ValueError(f"Dropout: rate must be in [0, 1); received {rate}")
        self.rate = rate
        self.rng = as_rng(rng, "Dropout")
        self._shape = self._mask = None

    def forward(self, x, training=False):
        x = as_array(x, "x", repr(self))
        training = flag(training, "training", repr(self))
        self._shape = x.shape
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        out, self._mask = _reg.dropout(x, self.rate, self.rng, training=True)
        return out

    def backward(self, grad_out):
        grad_out = check_grad_out(grad_out, self.saved("_shape"), f"{self!r}.backward")
        return grad_out if self._mask is None else grad_out * self._mask

    def __repr__(self):
        return f"Dropout({self.rate:g})"


class Sequential:
    r"""A stack of layers applied one after the other.

    Forward: :math:`h_0 = x,\ h_k = \text{layer}_k(h_{k-1})`. Backward applies the
    chain rule in reverse order, each layer turning :math:`\partial L/\partial h_k`
    into :math:`\partial L/\partial h_{k-1}` and filling its ``grads`` on the way.

    Parameters
    ----------
    layers : list of Layer
    """

    def __init__(self, layers):
        want = "Sequential: layers must be a non-empty list of layers with forward/backward"
        if isinstance(layers, (str, bytes, dict)) or not hasattr(layers, "__iter__"):
            raise TypeError(f"{want}; received {type(layers).__name__}")
        layers = list(layers)
        bad = [type(l).__name__ for l in layers if not hasattr(l, "forward") or not hasattr(l, "backward")]
        if not layers or bad:
            raise TypeError(f"{want}; received {bad or 'an empty list'}")
        self.layers = layers

    def forward(self, x, training: bool = False) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def backward(self, grad_out) -> np.ndarray:
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    __call__ = forward

    def predict(self, x) -> np.ndarray:
        """Forward pass in inference mode (dropout off) on validated input."""
        x = as_array(x, "x", "Sequential.predict", ndim=(2, 3, 4), layout="(batch, ...)")
        return self.forward(x, training=False)

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Every (parameter, gradient) pair, layer by layer, in a fixed order."""
        return [(layer.params[k], layer.grads[k]) for layer in self.layers for k in layer.params]

    @property
    def n_params(self) -> int:
        """Total number of trainable numbers."""
        return sum(p.size for p, _ in self.parameters())

    def __repr__(self) -> str:
        return f"Sequential({', '.join(repr(l) for l in self.layers)})"
