"""Offline datasets: the articles' toy data, 2-D two-class sets, digits, sequences.

Nothing here downloads. ``keras.datasets.mnist.load_data()`` (used by many tutorials)
fetches a file from the internet and fails offline; the course uses scikit-learn's
bundled 8x8 handwritten digits instead, and generates everything else.

Every function takes a ``seed`` and returns the same arrays for the same seed; it
uses its own generator and leaves NumPy's global random state alone. Dtypes:
float64 for the small synthetic sets (the NumPy engine's default, so gradient
checks are tight); float32 for :func:`xor` (the article's table), the digits and
the sequences, which feed Keras (TensorFlow computes in float32). Class labels are
integers 0, 1, ... of shape ``(n,)``; for a network with one sigmoid output of
shape ``(n, 1)`` use ``y[:, None]`` (or ``y.reshape(-1, 1)``), otherwise
``y - p`` broadcasts to an ``(n, n)`` matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import NamedTuple

import numpy as np

from ._validate import one_of, positive_float, positive_int

__all__ = [
    "Dataset",
    "DigitsSplit",
    "make_linear",
    "xor",
    "make_binary",
    "make_moons",
    "make_circles",
    "make_spirals",
    "load_digits",
    "make_sine_sequences",
    "make_adding_problem",
    "make_token_sequences",
    "make_digit_rows",
]


def _describe(a: np.ndarray) -> str:
    return f"{tuple(a.shape)} {a.dtype}"


class Dataset(NamedTuple):
    """Inputs and targets of one dataset: unpack it as ``x, y = make_moons()``.

    A named tuple, so it behaves as the pair ``(x, y)`` everywhere; it prints the
    shapes and dtypes rather than every number.
    """

    x: np.ndarray
    y: np.ndarray

    def __repr__(self) -> str:
        return f"Dataset(x: {_describe(self.x)}, y: {_describe(self.y)})"


@dataclass(frozen=True, repr=False)
class DigitsSplit:
    """The 8x8 digits split into training, validation and test sets.

    Attributes
    ----------
    x_train, x_val, x_test : ndarray, float32
        Pixels in [0, 1], shaped by ``layout``: ``"flat"`` (n, 64), ``"image"``
        (n, 8, 8, 1) or ``"sequence"`` (n, 8, 8).
    y_train, y_val, y_test : ndarray, int64, shape (n,)
        The digit shown, 0 to 9.
    layout : str
        The layout the features were shaped for.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    layout: str = "flat"

    n_classes = 10

    def __repr__(self) -> str:
        parts = [
            f"{part}: x {_describe(getattr(self, 'x_' + part))}, "
            f"y {_describe(getattr(self, 'y_' + part))}"
            for part in ("train", "val", "test")
        ]
        return f"DigitsSplit(layout={self.layout!r}; " + "; ".join(parts) + ")"


def _seed(seed, func: str) -> int:
    return positive_int(seed, "seed", func, minimum=0)


def _finite(value, name: str, func: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{func}: {name} must be a number; received {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite; received {value}")
    return float(value)


def _fraction(value, name: str, func: str) -> float:
    value = positive_float(value, name, func)
    if not value < 1:
        raise ValueError(f"{func}: {name} must be in (0, 1); received {value}")
    return value


def make_linear(n: int = 100, slope: float = 3.0, seed: int = 0) -> Dataset:
    r"""Noisy points on a line: article 000's regression data.

    .. math:: y = a\,x + \varepsilon, \qquad x \sim U[0, 1),\quad
              \varepsilon \sim U[0, 1)

    The noise is uniform on [0, 1), not centred: its mean is 1/2, so the best line
    through the data has slope ``slope`` and **intercept about 0.5**, not 0.
    With ``seed=0`` and the defaults the arrays are exactly the article's
    ``np.random.seed(0); X = np.random.rand(100, 1); y = 3 * X + np.random.rand(100, 1)``
    (drawn from a private ``RandomState``, so NumPy's global state is untouched).

    Parameters
    ----------
    n : int
        Number of points.
    slope : float
        The true slope :math:`a`.
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` and ``y``, float64 of shape ``(n, 1)``.
    """
    n = positive_int(n, "n", "make_linear")
    slope = _finite(slope, "slope", "make_linear")
    rs = np.random.RandomState(_seed(seed, "make_linear"))
    x = rs.rand(n, 1)
    y = slope * x + rs.rand(n, 1)
    return Dataset(x, y)


def xor() -> Dataset:
    r"""The XOR truth table, article 004's data.

    .. math:: y = x_1 \oplus x_2

    No single linear unit separates the two classes (the points (0, 1) and (1, 0)
    lie on one diagonal, (0, 0) and (1, 1) on the other): a hidden layer is needed.

    Returns
    -------
    Dataset
        ``x`` float32 (4, 2) and ``y`` float32 (4, 1), as in the article.
    """
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    return Dataset(x, y)


def make_binary(
    n: int = 200, n_features: int = 2, separation: float = 3.0, seed: int = 0
) -> Dataset:
    r"""Two Gaussian classes with real 0/1 labels (article 002's task, corrected).

    Article 002 trains a sigmoid classifier with binary cross-entropy on
    ``y = np.random.rand(100, 1)``: targets spread over [0, 1], not classes, and
    independent of ``X``, so there is nothing to learn, and Keras's accuracy
    (``y == round(p)``) is 0 because no target is exactly 0 or 1. Here each point
    has a class, and its features depend on it:

    .. math:: x \mid y \sim \mathcal{N}\big((2y - 1)\,\tfrac{s}{2}\,u,\; I\big)

    with :math:`u` a random unit vector and :math:`s` the ``separation`` between the
    class means. The best possible accuracy is :math:`\Phi(s/2)` (0.93 for s = 3).

    Parameters
    ----------
    n : int
        Number of points (at least 2); the classes get ``n // 2`` and ``n - n // 2``.
    n_features : int
        Dimension of :math:`x`.
    separation : float
        Distance :math:`s` between the two class means, in units of the noise's
        standard deviation.
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` float64 (n, n_features) and ``y`` int64 (n,) of 0s and 1s, shuffled.
    """
    func = "make_binary"
    n = positive_int(n, "n", func, minimum=2)
    n_features = positive_int(n_features, "n_features", func)
    separation = positive_float(separation, "separation", func, allow_zero=True)
    rng = np.random.default_rng(_seed(seed, func))
    u = rng.normal(size=n_features)
    u /= np.linalg.norm(u)
    y = rng.permutation(np.arange(n) >= n // 2).astype(np.int64)
    x = rng.normal(size=(n, n_features)) + np.outer(2 * y - 1, separation / 2 * u)
    return Dataset(x, y)


def make_moons(n: int = 300, noise: float = 0.2, seed: int = 0) -> Dataset:
    """Two interleaving half circles (scikit-learn's generator: no download).

    Not linearly separable: a network needs a hidden layer to reach high accuracy.

    Parameters
    ----------
    n : int
        Number of points (at least 2), split evenly between the two moons.
    noise : float
        Standard deviation of the Gaussian noise added to every coordinate.
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` float64 (n, 2) and ``y`` int64 (n,) of 0s and 1s.
    """
    from sklearn.datasets import make_moons as _moons

    func = "make_moons"
    n = positive_int(n, "n", func, minimum=2)
    noise = positive_float(noise, "noise", func, allow_zero=True)
    x, y = _moons(n_samples=n, noise=noise, random_state=_seed(seed, func))
    return Dataset(x.astype(np.float64), y.astype(np.int64))


def make_circles(
    n: int = 300, noise: float = 0.1, factor: float = 0.5, seed: int = 0
) -> Dataset:
    """A small circle inside a large one (scikit-learn's generator: no download).

    Class 1 is the inner circle, of radius ``factor`` (the outer one has radius 1).
    A linear model cannot do better than chance; one hidden layer suffices.

    Parameters
    ----------
    n : int
        Number of points (at least 2), split evenly between the circles.
    noise : float
        Standard deviation of the Gaussian noise added to every coordinate.
    factor : float
        Radius of the inner circle, in (0, 1).
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` float64 (n, 2) and ``y`` int64 (n,) of 0s and 1s.
    """
    from sklearn.datasets import make_circles as _circles

    func = "make_circles"
    n = positive_int(n, "n", func, minimum=2)
    noise = positive_float(noise, "noise", func, allow_zero=True)
    factor = _fraction(factor, "factor", func)
    x, y = _circles(n_samples=n, noise=noise, factor=factor, random_state=_seed(seed, func))
    return Dataset(x.astype(np.float64), y.astype(np.int64))


def make_spirals(
    n: int = 300, noise: float = 0.05, turns: float = 1.0, seed: int = 0
) -> Dataset:
    r"""Two interleaved spiral arms, a harder two-class set.

    Point :math:`i` of class :math:`c` sits at radius :math:`r = t` and angle
    :math:`\theta = 2\pi\,\text{turns}\cdot t + c\pi`, with :math:`t \sim U[0.05, 1]`:

    .. math:: x = r\,(\cos\theta,\ \sin\theta) + \varepsilon,\qquad
              \varepsilon \sim \mathcal{N}(0, \text{noise}^2 I)

    Parameters
    ----------
    n : int
        Number of points (at least 2), ``n // 2`` and ``n - n // 2`` per arm.
    noise : float
        Standard deviation of the Gaussian noise on each coordinate.
    turns : float
        How many times each arm winds around the centre.
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` float64 (n, 2) and ``y`` int64 (n,) of 0s and 1s, shuffled.
    """
    func = "make_spirals"
    n = positive_int(n, "n", func, minimum=2)
    noise = positive_float(noise, "noise", func, allow_zero=True)
    turns = positive_float(turns, "turns", func)
    rng = np.random.default_rng(_seed(seed, func))
    y = rng.permutation(np.arange(n) >= n // 2).astype(np.int64)
    t = rng.uniform(0.05, 1.0, size=n)
    theta = 2 * np.pi * turns * t + np.pi * y
    x = t[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    x = x + noise * rng.normal(size=x.shape)
    return Dataset(x, y)


_LAYOUTS = {"flat": (64,), "image": (8, 8, 1), "sequence": (8, 8)}


def load_digits(
    layout: str = "flat", seed: int = 0, val_size: float = 0.2, test_size: float = 0.2
) -> DigitsSplit:
    r"""scikit-learn's 8x8 handwritten digits, split and shaped for a network.

    1,797 grey-scale images of the digits 0-9 (about 180 each), shipped inside
    scikit-learn: no download, unlike ``keras.datasets.mnist``. Pixels (integers
    0-16) are scaled to [0, 1]:

    .. math:: x = \text{pixel} / 16

    The split is stratified (every part has the same share of each digit) and fixed
    by ``seed``: ``round(test_size * 1797)`` images for testing,
    ``round(val_size * 1797)`` for validation, the rest (1,079 with the defaults)
    for training.

    Parameters
    ----------
    layout : {"flat", "image", "sequence"}
        ``"flat"``: (n, 64) for an MLP; ``"image"``: (n, 8, 8, 1), height, width,
        channels, for a CNN; ``"sequence"``: (n, 8, 8), 8 time steps (the rows) of
        8 features (the pixels of a row), for an RNN.
    seed : int
        Seed of the split.
    val_size, test_size : float
        Fractions of the 1,797 images, each in (0, 1), summing to less than 1.

    Returns
    -------
    DigitsSplit
        Features float32, labels int64 of shape (n,).
    """
    from sklearn.datasets import load_digits as _load
    from sklearn.model_selection import train_test_split

    func = "load_digits"
    one_of(layout, "layout", func, _LAYOUTS)
    seed = _seed(seed, func)
    val_size = _fraction(val_size, "val_size", func)
    test_size = _fraction(test_size, "test_size", func)
    if not val_size + test_size < 1:
        raise ValueError(
            f"{func}: val_size + test_size must be < 1 to leave training data; "
            f"received val_size={val_size} and test_size={test_size}"
        )
    digits = _load()
    x = (digits.data / 16.0).astype(np.float32).reshape((-1, *_LAYOUTS[layout]))
    y = digits.target.astype(np.int64)
    n = len(y)
    n_test, n_val = round(test_size * n), round(val_size * n)
    if min(n_test, n_val, n - n_test - n_val) < 10:
        raise ValueError(
            f"{func}: every part needs at least one image per digit (10); received "
            f"val_size={val_size} and test_size={test_size}, i.e. {n_val} validation "
            f"and {n_test} test images"
        )
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=n_test, stratify=y, random_state=seed
    )
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=n_val, stratify=y_rest, random_state=seed
    )
    return DigitsSplit(x_train, y_train, x_val, y_val, x_test, y_test, layout)


def make_sine_sequences(
    n: int = 1000, timesteps: int = 20, noise: float = 0.1, seed: int = 0
) -> Dataset:
    r"""Windows of noisy sine waves; the target is the wave's next value.

    Each sequence has its own frequency :math:`\omega \sim U[0.1, 0.5]` rad/step,
    phase :math:`\varphi \sim U[0, 2\pi)` and amplitude :math:`A \sim U[0.5, 1]`:

    .. math:: x_t = A \sin(\omega t + \varphi) + \varepsilon_t,\quad
              t = 0, \dots, T-1; \qquad y = A \sin(\omega T + \varphi)

    with :math:`\varepsilon_t \sim \mathcal{N}(0, \text{noise}^2)`. The target is
    noise-free, so a perfect predictor reaches an MSE of 0; repeating the last input
    scores about :math:`\text{noise}^2` plus the mean squared one-step change.

    Parameters
    ----------
    n : int
        Number of sequences.
    timesteps : int
        Length :math:`T` of each input window (at least 2).
    noise : float
        Standard deviation of the noise on the inputs.
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` float32 (n, timesteps, 1), ``y`` float32 (n, 1).
    """
    func = "make_sine_sequences"
    n = positive_int(n, "n", func)
    timesteps = positive_int(timesteps, "timesteps", func, minimum=2)
    noise = positive_float(noise, "noise", func, allow_zero=True)
    rng = np.random.default_rng(_seed(seed, func))
    omega = rng.uniform(0.1, 0.5, size=(n, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    amp = rng.uniform(0.5, 1.0, size=(n, 1))
    t = np.arange(timesteps + 1)
    wave = amp * np.sin(omega * t + phase)
    x = wave[:, :-1] + noise * rng.normal(size=(n, timesteps))
    return Dataset(x[:, :, None].astype(np.float32), wave[:, -1:].astype(np.float32))


def make_adding_problem(n: int = 1000, timesteps: int = 50, seed: int = 0) -> Dataset:
    r"""The adding problem, a long-memory test for recurrent networks.

    Each step carries two features: a value :math:`v_t \sim U[0, 1)` and a marker
    :math:`m_t \in \{0, 1\}`. Exactly two markers are 1, one in each half of the
    sequence; the target is the sum of the two marked values (the form of
    Le, Jaitly & Hinton, 2015, of a task from Hochreiter & Schmidhuber, 1997):

    .. math:: y = \sum_t m_t v_t

    Always answering 1 gives an MSE of about 1/6 (the variance of a sum of two
    uniforms): a model must beat that to show it remembers.

    Parameters
    ----------
    n : int
        Number of sequences.
    timesteps : int
        Sequence length (at least 2); longer is harder for a plain RNN.
    seed : int
        Seed of the generator.

    Returns
    -------
    Dataset
        ``x`` float32 (n, timesteps, 2): values, markers; ``y`` float32 (n, 1).
    """
    func = "make_adding_problem"
    n = positive_int(n, "n", func)
    timesteps = positive_int(timesteps, "timesteps", func, minimum=2)
    rng = np.random.default_rng(_seed(seed, func))
    values = rng.uniform(0, 1, size=(n, timesteps))
    half = timesteps // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, timesteps, size=n)
    markers = np.zeros((n, timesteps))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    y = (values * markers).sum(axis=1, keepdims=True)
    x = np.stack([values, markers], axis=-1)
    return Dataset(x.astype(np.float32), y.astype(np.float32))


#: The tasks of :func:`make_token_sequences`: the target sequence from the input one.
SEQUENCE_TASKS = ("reverse", "sort")


def make_token_sequences(n: int = 2000, length: int = 8, vocab: int = 10,
                         task: str = "reverse", seed: int = 0) -> Dataset:
    r"""Random token sequences and a target sequence of the same length.

    Each input is ``length`` tokens drawn uniformly from :math:`\{0, \dots,
    \text{vocab}-1\}`; the target is the input reversed (``task="reverse"``,
    :math:`y_t = x_{T-1-t}`) or sorted in increasing order (``task="sort"``). A model
    that labels every position must look at other positions to solve either: the tasks
    of the Transformer chapter.

    Returns
    -------
    Dataset
        ``x`` and ``y`` int64 arrays of shape (n, length).
    """
    func = "make_token_sequences"
    n = positive_int(n, "n", func)
    length = positive_int(length, "length", func, minimum=2)
    vocab = positive_int(vocab, "vocab", func, minimum=2)
    task = one_of(task, "task", func, SEQUENCE_TASKS)
    rng = np.random.default_rng(_seed(seed, func))
    x = rng.integers(0, vocab, size=(n, length))
    y = x[:, ::-1].copy() if task == "reverse" else np.sort(x, axis=1)
    return Dataset(x.astype(np.int64), y.astype(np.int64))


def make_digit_rows(images, labels, n: int = 1000, length: int = 3, seed: int = 0) -> Dataset:
    r"""Rows of digit images, read left to right as a sequence.

    Each row is ``length`` images drawn independently, with replacement, from
    ``images``; the target is the digit shown at each position. Build the training
    rows from the training images and the test rows from the test images, so that no
    test image is seen in training:

    .. math:: x_i = (\text{image}_{j_{i,1}}, \dots, \text{image}_{j_{i,L}}),\qquad
              y_{i,t} = \text{label}_{j_{i,t}},\qquad j_{i,t} \sim U\{0, \dots, m-1\}

    Parameters
    ----------
    images : array_like, shape (m, height, width, channels)
        For example ``load_digits(layout="image").x_train``.
    labels : array_like of int, shape (m,)
        The digit of each image.
    n : int
        Number of rows.
    length : int
        Images per row, :math:`L` (at least 1).
    seed : int
        Seed of the draw.

    Returns
    -------
    Dataset
        ``x`` float32 (n, length, height, width, channels), ``y`` int64 (n, length);
        ``y.max(axis=1)`` is the largest digit of each row.
    """
    func = "make_digit_rows"
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 4 or images.shape[0] == 0:
        raise ValueError(
            f"{func}: images must be 4-D (m, height, width, channels) with m >= 1; "
            f"received shape {images.shape}"
        )
    if labels.shape != images.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{func}: labels must be integers of shape ({images.shape[0]},), one per "
            f"image; received {_describe(labels)}"
        )
    n = positive_int(n, "n", func)
    length = positive_int(length, "length", func)
    rng = np.random.default_rng(_seed(seed, func))
    index = rng.integers(0, len(labels), size=(n, length))
    return Dataset(images[index].astype(np.float32), labels[index].astype(np.int64))
