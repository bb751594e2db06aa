r"""Convolution and pooling, forward and backward, in NumPy.

The articles write the convolution of a signal :math:`x` with a kernel :math:`k` as

.. math:: x * k = \sum_{i=1}^{n} x[i]\, k[i],

which is one output of a **cross-correlation**: the kernel is laid over the input and
the overlapping values are multiplied and summed, *without* flipping the kernel.
Mathematicians' convolution flips it first (:math:`\sum_i x[j - i] k[i]`); deep-learning
libraries (TensorFlow's ``tf.nn.conv2d``, PyTorch's ``conv2d``) compute the
cross-correlation and call it convolution, and so does this module. Since the kernel
is learned, the difference is only a relabelling of its entries.

Layouts follow TensorFlow: images are NHWC ``(batch, height, width, channels)`` and
kernels HWIO ``(kernel_height, kernel_width, in_channels, out_channels)``. Everything
is vectorised with :func:`numpy.lib.stride_tricks.sliding_window_view` ("im2col"):
every receptive field becomes one row of a matrix, and the convolution is one matrix
product. The backward passes scatter gradients back with a loop over the kernel's
``kh * kw`` offsets, never over pixels.

Functions: :func:`correlate1d`, :func:`conv2d`, :func:`conv2d_backward`,
:func:`max_pool2d`, :func:`max_pool2d_backward`, :func:`avg_pool2d`,
:func:`avg_pool2d_backward`. Layers (the :mod:`dlcourse.layers` protocol):
:class:`Conv2D`, :class:`MaxPool2D`.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import initializers as _init
from ._validate import as_array, as_rng, check_grad_out, one_of, positive_int
from .activations import ACTIVATION_NAMES, activate, activate_backward
from .layers import Layer

__all__ = [
    "correlate1d",
    "conv2d",
    "conv2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "Conv2D",
    "MaxPool2D",
]

_NHWC = "(batch, height, width, channels)"
_HWIO = "(kernel_height, kernel_width, in_channels, out_channels)"


# ---------------------------------------------------------------------------
# Argument checks and geometry
# ---------------------------------------------------------------------------


def _pair(value, name: str, func: str, *, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints (height, width), each >= ``minimum``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{func}: {name} must be an int or a pair (height, width); received {value!r}"
            )
        return tuple(positive_int(v, name, func, minimum=minimum) for v in value)
    v = positive_int(value, name, func, minimum=minimum)
    return v, v


def _check_padding(padding, func: str, *, allow_int: bool = True):
    if isinstance(padding, str):
        return one_of(padding.lower(), "padding", func, ("valid", "same"))
    if allow_int and isinstance(padding, Integral) and not isinstance(padding, bool):
        return positive_int(padding, "padding", func, minimum=0)
    want = "'valid', 'same' or an int >= 0" if allow_int else "'valid' or 'same'"
    raise ValueError(f"{func}: padding must be {want}; received {padding!r}")


def _pads(size: int, k: int, s: int, padding) -> tuple[int, int]:
    """Zeros added before and after one spatial axis.

    ``"same"`` follows TensorFlow: the output has ``ceil(size / s)`` positions and
    the padding needed for that, ``max((out - 1) * s + k - size, 0)``, is split with
    the smaller half *before* and the odd one out *after* (bottom / right).
    """
    if padding == "valid":
        return 0, 0
    if padding == "same":
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        return total // 2, total - total // 2
    return padding, padding


def _geometry(x_shape, kh, kw, sh, sw, padding, func, what, extra=""):
    """Padding amounts and output size; raise if the kernel does not fit."""
    _, h, w, _ = x_shape
    pt, pb = _pads(h, kh, sh, padding)
    pl, pr = _pads(w, kw, sw, padding)
    hp, wp = h + pt + pb, w + pl + pr
    if kh > hp or kw > wp:
        raise ValueError(
            f"{func}: the {kh}x{kw} {what} is larger than the padded input "
            f"({hp}x{wp} with padding={padding!r}); received x.shape={tuple(x_shape)}{extra}"
        )
    return (pt, pb, pl, pr), ((hp - kh) // sh + 1, (wp - kw) // sw + 1)


def _windows(x, kh, kw, sh, sw, pads, fill=0.0):
    """Strided view of every receptive field: ``(batch, out_h, out_w, C, kh, kw)``."""
    pt, pb, pl, pr = pads
    if any(pads):
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill)
    return sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]


def _scatter(d_windows, x_shape, kh, kw, sh, sw, pads):
    """Adjoint of taking windows: add each window's gradient back where it came from.

    ``d_windows`` has shape ``(kh, kw, C, batch, out_h, out_w)``: entry ``[p, q]``
    is the gradient of every window's cell at kernel offset (p, q). The loop runs
    over the ``kh * kw`` offsets, each adding to a strided slice of the padded
    input, accumulated channels-first so that the slices are contiguous rows.
    """
    n, h, w, c = x_shape
    pt, pb, pl, pr = pads
    ho, wo = d_windows.shape[-2:]
    dxp = np.zeros((c, n, h + pt + pb, w + pl + pr))
    for p in range(kh):
        for q in range(kw):
            dxp[:, :, p : p + sh * (ho - 1) + 1 : sh, q : q + sw * (wo - 1) + 1 : sw] += (
                d_windows[p, q]
            )
    return np.ascontiguousarray(dxp[:, :, pt : pt + h, pl : pl + w].transpose(1, 2, 3, 0))


def _check_conv(x, w, stride, padding, func):
    x = as_array(x, "x", func, ndim=4, layout=_NHWC)
    w = as_array(w, "w", func, ndim=4, layout=_HWIO)
    if x.shape[3] != w.shape[2]:
        raise ValueError(
            f"{func}: x has {x.shape[3]} channels but w expects {w.shape[2]} input "
            f"channels (axis 2 of w); received x.shape={x.shape} and w.shape={w.shape}"
        )
    sh, sw = _pair(stride, "stride", func)
    padding = _check_padding(padding, func)
    kh, kw = w.shape[:2]
    pads, out = _geometry(x.shape, kh, kw, sh, sw, padding, func, "kernel",
                          f" and w.shape={w.shape}")
    return x, w, (sh, sw), pads, out


def _im2col(x, kh, kw, sh, sw, pads):
    """Every receptive field as one *column*: shape ``(kh * kw * C, batch * out_h * out_w)``.

    Rows are ordered (kh, kw, C) like the rows of ``w.reshape(-1, out_channels)``,
    so ``cols.T @ w.reshape(-1, out_channels)`` is the convolution. Building the
    columns channels-first makes the copy read contiguous image rows.
    """
    pt, pb, pl, pr = pads
    xc = np.pad(x.transpose(3, 0, 1, 2), ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    win = sliding_window_view(xc, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    c, n, ho, wo = win.shape[:4]  # win: (C, batch, out_h, out_w, kh, kw), a view
    return win.transpose(4, 5, 0, 1, 2, 3).reshape(kh * kw * c, n * ho * wo)


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------


def correlate1d(x, k) -> np.ndarray:
    r"""1-D cross-correlation of a signal with a kernel ("valid" positions only).

    .. math:: (x * k)[j] = \sum_{i=1}^{m} x[j + i - 1]\, k[i],
        \qquad j = 1, \dots, n - m + 1

    With ``len(k) == len(x)`` there is one position and this is the articles'
    formula :math:`x * k = \sum_{i=1}^{n} x[i] k[i]`, a dot product. The kernel is
    not flipped (see the module docstring).

    Parameters
    ----------
    x : array_like, shape (n,)
        The signal.
    k : array_like, shape (m,)
        The kernel, ``m <= n``.

    Returns
    -------
    ndarray, shape (n - m + 1,)
    """
    func = "correlate1d"
    x = as_array(x, "x", func, ndim=1, layout="(length,)")
    k = as_array(k, "k", func, ndim=1, layout="(length,)")
    if k.size == 0 or k.size > x.size:
        raise ValueError(
            f"{func}: k must have between 1 and len(x) elements; "
            f"received x.shape={x.shape} and k.shape={k.shape}"
        )
    return sliding_window_view(x, k.size) @ k


def conv2d(x, w, b=None, stride=1, padding="valid") -> np.ndarray:
    r"""2-D convolution (cross-correlation) of a batch of images, like ``tf.nn.conv2d``.

    .. math:: y_{n,i,j,o} = b_o + \sum_{p=0}^{k_h-1}\sum_{q=0}^{k_w-1}\sum_{c}
        \tilde x_{n,\, s_h i + p,\, s_w j + q,\, c}\; w_{p,q,c,o}

    where :math:`\tilde x` is ``x`` padded with zeros. The output has
    :math:`\lfloor (H + P_h - k_h) / s_h \rfloor + 1` rows (and likewise columns),
    with :math:`P_h` the total padding: 0 for ``"valid"``; for ``"same"`` whatever
    makes the output :math:`\lceil H / s_h \rceil` rows, split as TensorFlow does
    (the extra row, if odd, at the bottom; the extra column at the right).

    Parameters
    ----------
    x : array_like, shape (batch, height, width, in_channels)
        Input images (NHWC).
    w : array_like, shape (kernel_height, kernel_width, in_channels, out_channels)
        Kernels (HWIO), one 3-D kernel per output channel (filter).
    b : array_like, shape (out_channels,), optional
        One bias per filter.
    stride : int or (int, int)
        Step between receptive fields, rows then columns.
    padding : {"valid", "same"} or int
        No padding, TensorFlow's "same" padding, or that many zeros on every side.

    Returns
    -------
    ndarray, shape (batch, out_height, out_width, out_channels)
    """
    func = "conv2d"
    x, w, (sh, sw), pads, (ho, wo) = _check_conv(x, w, stride, padding, func)
    kh, kw, _, n_out = w.shape
    y = _im2col(x, kh, kw, sh, sw, pads).T @ w.reshape(-1, n_out)
    y = y.reshape(x.shape[0], ho, wo, n_out)
    if b is not None:
        b = as_array(b, "b", func, ndim=1, layout="(out_channels,)")
        if b.shape != (n_out,):
            raise ValueError(
                f"{func}: b must have shape ({n_out},), one bias per filter; "
                f"received b.shape={b.shape} and w.shape={w.shape}"
            )
        y += b
    return y


def conv2d_backward(grad_out, x, w, stride=1, padding="valid"):
    r"""Gradients of a loss through :func:`conv2d`.

    With :math:`g = \partial L / \partial y` and the same indices as :func:`conv2d`:

    .. math::
        \frac{\partial L}{\partial w_{p,q,c,o}} = \sum_{n,i,j}
            \tilde x_{n,\, s_h i + p,\, s_w j + q,\, c}\; g_{n,i,j,o}, \qquad
        \frac{\partial L}{\partial b_o} = \sum_{n,i,j} g_{n,i,j,o},

    .. math::
        \frac{\partial L}{\partial \tilde x_{n,\, s_h i + p,\, s_w j + q,\, c}}
            \mathrel{+}= \sum_o g_{n,i,j,o}\, w_{p,q,c,o}

    (every input pixel collects the gradient of every window it fell in; the padded
    border is then cut off).

    Parameters
    ----------
    grad_out : array_like, shape (batch, out_height, out_width, out_channels)
        :math:`\partial L / \partial y`.
    x, w, stride, padding
        As given to :func:`conv2d`.

    Returns
    -------
    dx : ndarray, shape of ``x``
    dw : ndarray, shape of ``w``
    db : ndarray, shape (out_channels,)
    """
    func = "conv2d_backward"
    x, w, (sh, sw), pads, (ho, wo) = _check_conv(x, w, stride, padding, func)
    kh, kw, c, n_out = w.shape
    g = check_grad_out(grad_out, (x.shape[0], ho, wo, n_out), func)
    g2 = g.reshape(-1, n_out)  # (batch * out_h * out_w, out_channels)
    dw = (_im2col(x, kh, kw, sh, sw, pads) @ g2).reshape(w.shape)
    db = g2.sum(axis=0)
    d_windows = (w.reshape(-1, n_out) @ g2.T).reshape(kh, kw, c, x.shape[0], ho, wo)
    dx = _scatter(d_windows, x.shape, kh, kw, sh, sw, pads)
    return dx, dw, db


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


def _check_pool(x, size, stride, padding, func):
    x = as_array(x, "x", func, ndim=4, layout=_NHWC)
    kh, kw = _pair(size, "size", func)
    sh, sw = (kh, kw) if stride is None else _pair(stride, "stride", func)
    padding = _check_padding(padding, func, allow_int=False)
    pads, out = _geometry(x.shape, kh, kw, sh, sw, padding, func, "pooling window")
    return x, (kh, kw), (sh, sw), pads, out


def max_pool2d(x, size=2, stride=None, padding="valid") -> np.ndarray:
    r"""Max pooling, like ``tf.nn.max_pool2d``: the largest value of each window.

    .. math:: y_{n,i,j,c} = \max_{0 \le p < k_h,\; 0 \le q < k_w}
        x_{n,\, s_h i + p,\, s_w j + q,\, c}

    Each channel is pooled separately. With ``"same"`` padding the padded cells
    never win (they count as :math:`-\infty`).

    Parameters
    ----------
    x : array_like, shape (batch, height, width, channels)
    size : int or (int, int)
        Window size.
    stride : int or (int, int), optional
        Step between windows; defaults to ``size`` (non-overlapping windows).
    padding : {"valid", "same"}

    Returns
    -------
    ndarray, shape (batch, out_height, out_width, channels)
    """
    x, (kh, kw), (sh, sw), pads, _ = _check_pool(x, size, stride, padding, "max_pool2d")
    return _windows(x, kh, kw, sh, sw, pads, fill=-np.inf).max(axis=(-2, -1))


def max_pool2d_backward(grad_out, x, size=2, stride=None, padding="valid") -> np.ndarray:
    r"""Gradient through :func:`max_pool2d`: each window's gradient goes to its maximum.

    .. math:: \frac{\partial L}{\partial x_{n,r,s,c}} = \sum_{i,j}
        g_{n,i,j,c}\,[\,(r, s) = \operatorname{argmax}\text{ of window } (i, j)\,]

    The other cells of the window get zero; a cell that is the maximum of several
    overlapping windows collects all their gradients. Ties go to the first maximum
    in row-major order, as TensorFlow does on CPU.

    Parameters
    ----------
    grad_out : array_like, shape (batch, out_height, out_width, channels)
    x, size, stride, padding
        As given to :func:`max_pool2d`.

    Returns
    -------
    ndarray, shape of ``x``
    """
    func = "max_pool2d_backward"
    x, (kh, kw), (sh, sw), pads, (ho, wo) = _check_pool(x, size, stride, padding, func)
    g = check_grad_out(grad_out, (x.shape[0], ho, wo, x.shape[3]), func)
    win = _windows(x, kh, kw, sh, sw, pads, fill=-np.inf)
    flat = win.reshape(*win.shape[:4], kh * kw)
    winner = flat.argmax(axis=-1)[..., None] == np.arange(kh * kw)
    d = (winner * g[..., None]).reshape(*win.shape[:4], kh, kw)  # (N, ho, wo, C, kh, kw)
    return _scatter(d.transpose(4, 5, 3, 0, 1, 2), x.shape, kh, kw, sh, sw, pads)


def _window_counts(x_shape, kh, kw, sh, sw, pads):
    """How many real (non-padding) cells each window holds: ``(1, ho, wo, 1)``."""
    ones = np.ones((1, x_shape[1], x_shape[2], 1))
    return _windows(ones, kh, kw, sh, sw, pads).sum(axis=(-2, -1))


def avg_pool2d(x, size=2, stride=None, padding="valid") -> np.ndarray:
    r"""Average pooling, like ``tf.nn.avg_pool2d``: the mean of each window.

    .. math:: y_{n,i,j,c} = \frac{1}{|W_{ij}|} \sum_{(r,s) \in W_{ij}} x_{n,r,s,c}

    where :math:`W_{ij}` is the set of input cells of window :math:`(i, j)`. With
    ``"same"`` padding the padded cells are left out of :math:`W_{ij}` (TensorFlow's
    rule), so a border window averages fewer cells.

    Parameters
    ----------
    x : array_like, shape (batch, height, width, channels)
    size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``size``.
    padding : {"valid", "same"}

    Returns
    -------
    ndarray, shape (batch, out_height, out_width, channels)
    """
    x, (kh, kw), (sh, sw), pads, _ = _check_pool(x, size, stride, padding, "avg_pool2d")
    total = _windows(x, kh, kw, sh, sw, pads).sum(axis=(-2, -1))
    return total / _window_counts(x.shape, kh, kw, sh, sw, pads)


def avg_pool2d_backward(grad_out, x, size=2, stride=None, padding="valid") -> np.ndarray:
    r"""Gradient through :func:`avg_pool2d`: each window shares its gradient equally.

    .. math:: \frac{\partial L}{\partial x_{n,r,s,c}} = \sum_{(i,j):\,(r,s) \in W_{ij}}
        \frac{g_{n,i,j,c}}{|W_{ij}|}

    Parameters
    ----------
    grad_out : array_like, shape (batch, out_height, out_width, channels)
    x, size, stride, padding
        As given to :func:`avg_pool2d` (only ``x``'s shape is used).

    Returns
    -------
    ndarray, shape of ``x``
    """
    func = "avg_pool2d_backward"
    x, (kh, kw), (sh, sw), pads, (ho, wo) = _check_pool(x, size, stride, padding, func)
    g = check_grad_out(grad_out, (x.shape[0], ho, wo, x.shape[3]), func)
    share = (g / _window_counts(x.shape, kh, kw, sh, sw, pads)).transpose(3, 0, 1, 2)
    d = np.broadcast_to(share, (kh, kw, *share.shape))  # every cell of a window: the same
    return _scatter(d, x.shape, kh, kw, sh, sw, pads)


# ---------------------------------------------------------------------------
# Layers (the dlcourse.layers protocol)
# ---------------------------------------------------------------------------


class Conv2D(Layer):
    r"""Convolutional layer: :func:`conv2d` plus a bias and an activation.

    .. math:: z = \operatorname{conv2d}(x, W) + b, \qquad a = f(z)

    Backward, with :math:`\delta = \partial L/\partial a \odot f'(z)`, is
    :func:`conv2d_backward` applied to :math:`\delta`. The kernel has the HWIO layout
    of ``keras.layers.Conv2D``'s ``kernel`` (so Keras weights copy across); the
    parameters are ``params["W"]`` and ``params["b"]``, like :class:`~dlcourse.layers.Dense`.

    Parameters
    ----------
    in_channels : int
        Channels of the input images (1 for grey-scale).
    filters : int
        Number of kernels, i.e. of output channels.
    kernel_size : int or (int, int)
    stride : int or (int, int)
    padding : {"valid", "same"} or int
    activation : str
        As for :class:`~dlcourse.layers.Dense` (``"linear"``, ``"relu"``, ...).
    init : str
        A key of :data:`dlcourse.initializers.INITIALIZERS` (``"glorot_uniform"``,
        Keras's default, ...), with Keras's fans for a kernel
        (:func:`dlcourse.initializers.compute_fans`):
        :math:`n_{in} = k_h k_w C_{in}`, :math:`n_{out} = k_h k_w C_{out}`.
    rng : numpy.random.Generator, int or None
    """

    def __init__(self, in_channels: int, filters: int, kernel_size=3, stride=1,
                 padding="valid", activation: str = "linear",
                 init: str = "glorot_uniform", rng=None):
        super().__init__()
        func = "Conv2D"
        self.in_channels = positive_int(in_channels, "in_channels", func)
        self.filters = positive_int(filters, "filters", func)
        self.kernel_size = _pair(kernel_size, "kernel_size", func)
        self.stride = _pair(stride, "stride", func)
        self.padding = _check_padding(padding, func)
        self.activation = one_of(activation, "activation", func, ACTIVATION_NAMES)
        init = one_of(init, "init", func, tuple(_init.INITIALIZERS))
        shape = (*self.kernel_size, self.in_channels, self.filters)
        fan_in, fan_out = _init.compute_fans(shape)
        kernel = _init.INITIALIZERS[init](fan_in, fan_out, as_rng(rng, func), shape=shape)
        self.params = {"W": kernel,
                       "b": np.zeros(self.filters)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._x = self._z = self._a = None  # saved by forward for backward

    def forward(self, x, training=False):
        x = as_array(x, "x", repr(self), ndim=4, layout=_NHWC)
        self._x = x
        self._z = conv2d(x, self.params["W"], self.params["b"], self.stride, self.padding)
        self._a = activate(self.activation, self._z)
        return self._a

    def backward(self, grad_out):
        x, z, a = self.saved("_x", "_z", "_a")
        delta = activate_backward(self.activation, z, a, grad_out, f"{self!r}.backward")
        dx, dw, db = conv2d_backward(delta, x, self.params["W"], self.stride, self.padding)
        self.grads["W"][...] = dw
        self.grads["b"][...] = db
        return dx

    def __repr__(self):
        kh, kw = self.kernel_size
        return (f"Conv2D({self.in_channels}->{self.filters}, {kh}x{kw}, "
                f"stride={_fmt(self.stride)}, padding={self.padding!r}, {self.activation})")


class MaxPool2D(Layer):
    r"""Max-pooling layer: :func:`max_pool2d` forward, :func:`max_pool2d_backward` back.

    No parameters: ``params`` and ``grads`` are empty.

    Parameters
    ----------
    size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``size``.
    padding : {"valid", "same"}
    """

    def __init__(self, size=2, stride=None, padding="valid"):
        super().__init__()
        func = "MaxPool2D"
        self.size = _pair(size, "size", func)
        self.stride = self.size if stride is None else _pair(stride, "stride", func)
        self.padding = _check_padding(padding, func, allow_int=False)
        self._x = None  # saved by forward for backward

    def forward(self, x, training=False):
        self._x = as_array(x, "x", repr(self), ndim=4, layout=_NHWC)
        return max_pool2d(self._x, self.size, self.stride, self.padding)

    def backward(self, grad_out):
        return max_pool2d_backward(grad_out, self.saved("_x"), self.size, self.stride, self.padding)

    def __repr__(self):
        kh, kw = self.size
        return f"MaxPool2D({kh}x{kw}, stride={_fmt(self.stride)}, padding={self.padding!r})"


def _fmt(pair):
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"
