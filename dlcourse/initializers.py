r"""Weight initializers: where gradient descent starts.

All-zero weights make every unit of a layer compute the same thing and receive
the same gradient, so they never become different (the symmetry problem);
biases, by contrast, may start at 0. Random weights break the symmetry, and
their **scale** decides whether signals and gradients keep their size from
layer to layer. Glorot (Xavier) and He initialization choose the variance from
the layer's fan-in :math:`n_\text{in}` and fan-out :math:`n_\text{out}`:

==================  ==============================================  ==================================
name                distribution                                    variance
==================  ==============================================  ==================================
``glorot_uniform``  :math:`U[-l, l],\ l=\sqrt{6/(n_\text{in}+n_\text{out})}`  :math:`2/(n_\text{in}+n_\text{out})`
``glorot_normal``   truncated normal                                :math:`2/(n_\text{in}+n_\text{out})`
``he_uniform``      :math:`U[-l, l],\ l=\sqrt{6/n_\text{in}}`         :math:`2/n_\text{in}`
``he_normal``       truncated normal                                :math:`2/n_\text{in}`
==================  ==============================================  ==================================

These are exactly Keras's ``GlorotUniform``, ``GlorotNormal``, ``HeUniform`` and
``HeNormal`` formulas (Keras's default ``Dense`` kernel is ``glorot_uniform``,
its default bias ``zeros``). The random numbers differ: NumPy's generator is
not TensorFlow's.

Every function returns float64 and takes a ``numpy.random.Generator``, an
integer seed, or ``None`` (a seed drawn from NumPy's global state, so after
``np.random.seed(0)`` the same call repeats, as everywhere in dlcourse).

References: Glorot & Bengio (2010), "Understanding the difficulty of training
deep feedforward neural networks", AISTATS; He et al. (2015), "Delving deep
into rectifiers", ICCV.
"""

from __future__ import annotations

from numbers import Integral
from typing import Callable, Optional, Union

import numpy as np

from ._validate import as_rng, positive_float, positive_int

__all__ = [
    "zeros",
    "small_random",
    "glorot_uniform",
    "glorot_normal",
    "he_normal",
    "he_uniform",
    "compute_fans",
    "INITIALIZERS",
]

Shape = Union[int, tuple[int, ...]]
RngLike = Union[np.random.Generator, int, None]

#: Standard deviation of a standard normal truncated to [-2, 2]; dividing by it
#: restores the intended variance after truncation (Keras uses the same constant).
TRUNCATED_STD = 0.87962566103423978


def _shape(shape, func: str) -> tuple[int, ...]:
    if isinstance(shape, Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not shape:
        raise TypeError(
            f"{func}: shape must be a positive int or a tuple of them; received {shape!r}"
        )
    return tuple(positive_int(s, "shape", func) for s in shape)


def _fans_and_shape(fan_in, fan_out, shape, func) -> tuple[int, int, tuple[int, ...]]:
    fan_in = positive_int(fan_in, "fan_in", func)
    fan_out = positive_int(fan_out, "fan_out", func)
    shape = (fan_in, fan_out) if shape is None else _shape(shape, func)
    return fan_in, fan_out, shape


def _truncated_normal(shape: tuple[int, ...], std: float, rng: np.random.Generator) -> np.ndarray:
    """Normal draws redrawn until inside two standard deviations, rescaled to ``std``."""
    z = rng.standard_normal(shape)
    outside = np.abs(z) > 2.0
    while outside.any():
        z[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(z) > 2.0
    return z * (std / TRUNCATED_STD)


def compute_fans(shape: Shape) -> tuple[int, int]:
    r"""Fan-in and fan-out of a weight tensor, as Keras computes them.

    .. math:: n_\text{in} = r\,c_\text{in}, \qquad n_\text{out} = r\,c_\text{out}, \qquad
              r = \prod \text{(all but the last two sizes)}

    A dense kernel ``(n_in, n_out)`` has :math:`r = 1`; a convolution kernel
    ``(height, width, in_channels, out_channels)`` has :math:`r` = height × width.

    Parameters
    ----------
    shape : int or tuple of int
        The kernel's shape (a 1-D shape counts as fan-in = fan-out = its size).

    Returns
    -------
    tuple of int
        ``(fan_in, fan_out)``.
    """
    shape = _shape(shape, "compute_fans")
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2], dtype=np.int64)) if len(shape) > 2 else 1
    return receptive * shape[-2], receptive * shape[-1]


def zeros(shape: Shape) -> np.ndarray:
    r"""All zeros: the usual start for biases, a poor one for weights.

    .. math:: w_{ij} = 0

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the array.

    Returns
    -------
    ndarray
        float64 zeros.
    """
    return np.zeros(_shape(shape, "zeros"))


def small_random(shape: Shape, rng: RngLike, scale: float = 0.01) -> np.ndarray:
    r"""Small Gaussian noise, the classic ``0.01 * randn`` start.

    .. math:: w_{ij} \sim \mathcal{N}(0, s^2), \qquad s = 0.01

    Fine for one or two layers; in deep networks a fixed small scale makes the
    signal shrink layer after layer, which Glorot and He initialization fix.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the array.
    rng : numpy.random.Generator or int or None
        Random source (an int is used as a seed).
    scale : float
        Standard deviation :math:`s` (not truncated).

    Returns
    -------
    ndarray
        float64 array of the given shape.
    """
    func = "small_random"
    shape = _shape(shape, func)
    scale = positive_float(scale, "scale", func)
    return scale * as_rng(rng, func).standard_normal(shape)


def glorot_uniform(
    fan_in: int, fan_out: int, rng: RngLike, *, shape: Optional[Shape] = None
) -> np.ndarray:
    r"""Glorot (Xavier) uniform initialization, as ``keras.initializers.GlorotUniform``.

    .. math:: w_{ij} \sim U[-l, l], \qquad l = \sqrt{\frac{6}{n_\text{in} + n_\text{out}}},
              \qquad \operatorname{Var}(w) = \frac{2}{n_\text{in} + n_\text{out}}

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer (see :func:`compute_fans`).
    rng : numpy.random.Generator or int or None
        Random source (an int is used as a seed).
    shape : tuple of int, optional
        Shape of the result; ``(fan_in, fan_out)`` by default.

    Returns
    -------
    ndarray
        float64 weights.
    """
    func = "glorot_uniform"
    fan_in, fan_out, shape = _fans_and_shape(fan_in, fan_out, shape, func)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng, func).uniform(-limit, limit, size=shape)


def glorot_normal(
    fan_in: int, fan_out: int, rng: RngLike, *, shape: Optional[Shape] = None
) -> np.ndarray:
    r"""Glorot (Xavier) normal initialization, truncated as in ``keras.initializers.GlorotNormal``.

    .. math:: w_{ij} = \frac{\sigma}{0.8796}\, z_{ij}, \quad
              z_{ij} \sim \mathcal{N}(0, 1) \text{ truncated to } [-2, 2], \quad
              \sigma = \sqrt{\frac{2}{n_\text{in} + n_\text{out}}}

    **Truncated**, like Keras: draws beyond two standard deviations are redrawn,
    and dividing by 0.8796 (the standard deviation of the truncated standard
    normal) makes :math:`\operatorname{Var}(w) = \sigma^2` exactly. Every weight
    satisfies :math:`|w| \le 2\sigma/0.8796`.

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer.
    rng : numpy.random.Generator or int or None
        Random source (an int is used as a seed).
    shape : tuple of int, optional
        Shape of the result; ``(fan_in, fan_out)`` by default.

    Returns
    -------
    ndarray
        float64 weights.
    """
    func = "glorot_normal"
    fan_in, fan_out, shape = _fans_and_shape(fan_in, fan_out, shape, func)
    return _truncated_normal(shape, np.sqrt(2.0 / (fan_in + fan_out)), as_rng(rng, func))


def he_normal(
    fan_in: int, fan_out: int, rng: RngLike, *, shape: Optional[Shape] = None
) -> np.ndarray:
    r"""He (Kaiming) normal initialization for ReLU layers, truncated as in ``keras.initializers.HeNormal``.

    .. math:: w_{ij} = \frac{\sigma}{0.8796}\, z_{ij}, \quad
              z_{ij} \sim \mathcal{N}(0, 1) \text{ truncated to } [-2, 2], \quad
              \sigma = \sqrt{\frac{2}{n_\text{in}}}

    The factor 2 compensates for ReLU zeroing half of its inputs. **Truncated**
    like Keras, rescaled so that :math:`\operatorname{Var}(w) = 2/n_\text{in}`.

    Parameters
    ----------
    fan_in : int
        Number of inputs of the layer (sets the scale).
    fan_out : int
        Number of outputs (sets only the default shape).
    rng : numpy.random.Generator or int or None
        Random source (an int is used as a seed).
    shape : tuple of int, optional
        Shape of the result; ``(fan_in, fan_out)`` by default.

    Returns
    -------
    ndarray
        float64 weights.
    """
    func = "he_normal"
    fan_in, _, shape = _fans_and_shape(fan_in, fan_out, shape, func)
    return _truncated_normal(shape, np.sqrt(2.0 / fan_in), as_rng(rng, func))


def he_uniform(
    fan_in: int, fan_out: int, rng: RngLike, *, shape: Optional[Shape] = None
) -> np.ndarray:
    r"""He (Kaiming) uniform initialization, as ``keras.initializers.HeUniform``.

    .. math:: w_{ij} \sim U[-l, l], \qquad l = \sqrt{\frac{6}{n_\text{in}}},
              \qquad \operatorname{Var}(w) = \frac{2}{n_\text{in}}

    Parameters
    ----------
    fan_in : int
        Number of inputs of the layer (sets the scale).
    fan_out : int
        Number of outputs (sets only the default shape).
    rng : numpy.random.Generator or int or None
        Random source (an int is used as a seed).
    shape : tuple of int, optional
        Shape of the result; ``(fan_in, fan_out)`` by default.

    Returns
    -------
    ndarray
        float64 weights.
    """
    func = "he_uniform"
    fan_in, _, shape = _fans_and_shape(fan_in, fan_out, shape, func)
    limit = np.sqrt(6.0 / fan_in)
    return as_rng(rng, func).uniform(-limit, limit, size=shape)


def _zeros_kernel(fan_in: int, fan_out: int, rng: RngLike = None, *, shape=None) -> np.ndarray:
    fan_in, fan_out, shape = _fans_and_shape(fan_in, fan_out, shape, "zeros")
    return zeros(shape)


def _small_random_kernel(fan_in: int, fan_out: int, rng: RngLike, *, shape=None) -> np.ndarray:
    fan_in, fan_out, shape = _fans_and_shape(fan_in, fan_out, shape, "small_random")
    return small_random(shape, rng)


Initializer = Callable[..., np.ndarray]

#: Kernel initializers by Keras name. Every entry is called the same way,
#: ``INITIALIZERS[name](fan_in, fan_out, rng, shape=None)``, and returns a
#: ``(fan_in, fan_out)`` array (or ``shape``) of float64.
INITIALIZERS: dict[str, Initializer] = {
    "zeros": _zeros_kernel,
    "small_random": _small_random_kernel,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}
