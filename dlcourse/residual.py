r"""Residual connections: a block that adds its input to its output.

A **residual block** computes

.. math:: y = x + F(x)

where :math:`F` is a small stack of layers (the *residual branch*) whose output has the
shape of its input, and the :math:`x` added back is the *identity shortcut* (skip
connection) of He et al. (2016). Backward, with :math:`g = \partial L/\partial y`,

.. math:: \frac{\partial L}{\partial x} = g + \Big(\frac{\partial F}{\partial x}\Big)^{\!\top} g ,

so the gradient reaching the block's input is the gradient at its output *plus* whatever
the branch contributes: however small the branch's Jacobian, the identity term carries
:math:`g` through unchanged. A stack of :math:`D` blocks multiplies the factors
:math:`(I + \partial F_k / \partial x)`, not the factors :math:`\partial F_k / \partial x`
themselves, which is why gradients do not vanish with depth.

:class:`Residual` follows the :mod:`dlcourse.layers` protocol, so it goes into a
:class:`dlcourse.layers.Sequential` like any layer. Keras writes the same block with the
functional API, ``keras.layers.Add()([x, branch(x)])``.

References: He, Zhang, Ren & Sun (2016), "Deep residual learning for image recognition",
CVPR; and "Identity mappings in deep residual networks", ECCV (the pre-activation block,
whose shortcut is a pure identity as here).
"""

from __future__ import annotations

import numpy as np

from ._validate import check_grad_out
from .layers import Layer, Sequential

__all__ = ["Residual"]


class Residual(Layer):
    r"""An identity shortcut around a stack of layers: :math:`y = x + F(x)`.

    Parameters
    ----------
    layers : list of Layer
        The residual branch :math:`F`, applied in order; its output must have the
        shape of its input (e.g. ``[Dense(32, 32, "relu"), Dense(32, 32)]``).

    Attributes
    ----------
    branch : Sequential
        The branch :math:`F`.
    params, grads : dict
        The branch's parameters and gradients, keyed ``"<layer index>.<name>"``
        (``"0.W"``, ``"0.b"``, ``"1.W"``, ...); they are the branch layers' own
        arrays, so an optimizer updating them updates the branch.
    """

    def __init__(self, layers):
        super().__init__()
        self.branch = Sequential(layers)
        for i, layer in enumerate(self.branch.layers):
            for k in layer.params:
                self.params[f"{i}.{k}"] = layer.params[k]
                self.grads[f"{i}.{k}"] = layer.grads[k]
        self._shape = None

    def forward(self, x, training=False):
        x = np.asarray(x, dtype=np.float64)
        fx = self.branch.forward(x, training=training)
        if fx.shape != x.shape:
            raise ValueError(
                f"{self!r}: the branch must keep the shape of its input so that x + F(x) "
                f"is defined; received x.shape={x.shape} and F(x).shape={fx.shape}"
            )
        self._shape = x.shape
        return x + fx

    def backward(self, grad_out):
        g = check_grad_out(grad_out, self.saved("_shape"), f"{self!r}.backward")
        return g + self.branch.backward(g)

    def __repr__(self):
        return f"Residual({', '.join(repr(l) for l in self.branch.layers)})"
