r"""Milestones of deep learning, as data, and the one historical algorithm, as code.

The Background chapter tells the history of deep learning (深度学习) through dated
milestones. They live here once, as :data:`MILESTONES`, so the chapter's timeline
figure, its prose checks (``assert``) and its exercises all read the same list, and a
test checks that every milestone cites an entry of ``references.bib``.

The module also holds the one historical *algorithm* the chapter runs: Rosenblatt's
perceptron (感知机) learning rule of 1958. Running it makes the 1969 critique of
Minsky and Papert concrete: the rule separates any linearly separable set (the AND
table) but can never fit XOR. The modern neuron, trained by gradient descent, lives
in :mod:`dlcourse.layers`.

.. math::

    \hat y = H(w^\top x + b), \qquad H(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

from ._validate import as_array, positive_float, positive_int, same_shape

__all__ = [
    "LABEL_MAX_CHARS",
    "Milestone",
    "MILESTONES",
    "milestones_between",
    "PerceptronFit",
    "perceptron_predict",
    "perceptron_update",
    "perceptron_fit",
]

#: The longest label a milestone may have, so that a timeline stays readable.
LABEL_MAX_CHARS = 24


@dataclass(frozen=True)
class Milestone:
    """One dated event in the history of neural networks.

    Parameters
    ----------
    year : int
        The year the work was published (or, for a thesis or a prize, written or
        awarded); ``detail`` says which when it matters.
    label : str
        A short name for a timeline, at most :data:`LABEL_MAX_CHARS` characters.
    detail : str
        One or two sentences: who did what, and why it mattered.
    cite : str
        The key of the work in ``references.bib``, for ``{cite}`key``` in the book.
    """

    year: int
    label: str
    detail: str
    cite: str

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, Integral):
            raise TypeError(f"Milestone: year must be an integer; received {self.year!r}")
        for name in ("label", "detail", "cite"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise TypeError(
                    f"Milestone: {name} must be a non-empty string; received {value!r}"
                )
        if len(self.label) > LABEL_MAX_CHARS:
            raise ValueError(
                f"Milestone: label must be at most {LABEL_MAX_CHARS} characters to fit "
                f"on a timeline; received {self.label!r} ({len(self.label)} characters)"
            )

    def __str__(self) -> str:
        return f"{self.year}  {self.label}"


#: The milestones of the Background chapter, in chronological order.
MILESTONES: tuple[Milestone, ...] = (
    Milestone(
        1943, "McCulloch-Pitts neuron",
        "McCulloch and Pitts model a neuron as a threshold unit on binary inputs and show "
        "that networks of such units compute logical functions.",
        "mcculloch1943logical",
    ),
    Milestone(
        1949, "Hebb's learning rule",
        "Hebb proposes that a connection strengthens when the two cells it joins are "
        "active together, a learning rule that later network models borrowed.",
        "hebb1949organization",
    ),
    Milestone(
        1958, "Perceptron",
        "Rosenblatt's perceptron: a threshold neuron whose weights are learned from "
        "labelled examples by an error-correcting rule.",
        "rosenblatt1958perceptron",
    ),
    Milestone(
        1969, "Perceptrons (critique)",
        "Minsky and Papert prove what single-layer perceptrons cannot compute "
        "(parity, connectedness; XOR is the smallest case); interest and funding fade.",
        "minsky1969perceptrons",
    ),
    Milestone(
        1970, "Reverse-mode autodiff",
        "Linnainmaa's master's thesis describes reverse-mode automatic differentiation, "
        "the algorithm behind backpropagation (published in English in 1976).",
        "linnainmaa1976taylor",
    ),
    Milestone(
        1974, "Werbos: backprop for NNs",
        "Werbos's Harvard PhD thesis derives the backward propagation of derivatives "
        "and suggests it for neural networks; his 1982 paper applies it to them.",
        "werbos1982applications",
    ),
    Milestone(
        1980, "Neocognitron",
        "Fukushima's neocognitron: alternating layers of local feature detectors and "
        "pooling, the architecture of a CNN, trained without backpropagation.",
        "fukushima1980neocognitron",
    ),
    Milestone(
        1982, "Hopfield network",
        "Hopfield shows that a recurrent network with symmetric weights stores memories "
        "as stable states of an energy function.",
        "hopfield1982neural",
    ),
    Milestone(
        1986, "Backpropagation",
        "Rumelhart, Hinton and Williams show that backpropagation trains hidden layers "
        "to learn useful internal representations; the method spreads.",
        "rumelhart1986learning",
    ),
    Milestone(
        1989, "CNN + backprop (LeCun)",
        "LeCun et al. train a convolutional network end to end with backpropagation to "
        "read handwritten ZIP codes.",
        "lecun1989backpropagation",
    ),
    Milestone(
        1997, "LSTM",
        "Hochreiter and Schmidhuber's long short-term memory: a gated memory cell that "
        "lets recurrent networks learn dependencies over long time lags.",
        "hochreiter1997long",
    ),
    Milestone(
        1998, "LeNet-5",
        "LeCun, Bottou, Bengio and Haffner's LeNet-5 and the MNIST benchmark; "
        "convolutional networks read bank cheques in production.",
        "lecun1998gradient",
    ),
    Milestone(
        2006, "Deep belief nets",
        "Hinton, Osindero and Teh pretrain deep networks one layer at a time; the "
        "name 'deep learning' takes hold.",
        "hinton2006fast",
    ),
    Milestone(
        2009, "ImageNet",
        "Deng et al. publish ImageNet, millions of labelled images in thousands of "
        "categories; its yearly challenge (ILSVRC) starts in 2010.",
        "deng2009imagenet",
    ),
    Milestone(
        2012, "AlexNet",
        "Krizhevsky, Sutskever and Hinton's GPU-trained CNN wins ILSVRC-2012 with a "
        "top-5 error of 15.3% against 26.2% for the runner-up.",
        "krizhevsky2012imagenet",
    ),
    Milestone(
        2015, "Adam optimizer",
        "Kingma and Ba's Adam (arXiv 2014, ICLR 2015): per-parameter step sizes from "
        "running moments of the gradient; now a common default.",
        "kingma2015adam",
    ),
    Milestone(
        2016, "ResNet",
        "He, Zhang, Ren and Sun's residual connections train networks of 152 layers "
        "and win ILSVRC-2015.",
        "he2016deep",
    ),
    Milestone(
        2016, "AlphaGo",
        "Silver et al. combine deep networks with tree search; AlphaGo is the first "
        "program to defeat a professional Go player on a full board.",
        "silver2016mastering",
    ),
    Milestone(
        2017, "Transformer",
        "Vaswani et al. replace recurrence with attention; the Transformer becomes the "
        "architecture of modern language models.",
        "vaswani2017attention",
    ),
    Milestone(
        2020, "GPT-3",
        "Brown et al.'s 175-billion-parameter language model performs new tasks from a "
        "few examples given in its prompt.",
        "brown2020language",
    ),
    Milestone(
        2021, "AlphaFold 2",
        "Jumper et al.'s AlphaFold predicts protein structures with accuracy "
        "competitive with experiments in most cases.",
        "jumper2021highly",
    ),
    Milestone(
        2024, "Nobel Prizes",
        "The Nobel Prize in Physics goes to Hopfield and Hinton for neural networks; "
        "half the Chemistry prize goes to Hassabis and Jumper for AlphaFold.",
        "nobel2024physics",
    ),
)


def milestones_between(
    start: int, end: int, milestones: tuple[Milestone, ...] = MILESTONES
) -> tuple[Milestone, ...]:
    """The milestones whose year lies in ``[start, end]``, both ends included.

    Parameters
    ----------
    start, end : int
        First and last year, ``start <= end``.
    milestones : tuple of Milestone, optional
        The list to select from (default :data:`MILESTONES`).

    Returns
    -------
    tuple of Milestone
        In the order of ``milestones`` (chronological for the default).

    Examples
    --------
    >>> [m.label for m in milestones_between(1940, 1949)]
    ['McCulloch-Pitts neuron', "Hebb's learning rule"]
    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise TypeError(
                f"milestones_between: {name} must be an integer year; received {value!r}"
            )
    if start > end:
        raise ValueError(
            f"milestones_between: start must be <= end; received start={start}, end={end}"
        )
    return tuple(m for m in milestones if start <= m.year <= end)


# --------------------------------------------------------------------------------------
# Rosenblatt's perceptron (1958)
# --------------------------------------------------------------------------------------


@dataclass
class PerceptronFit:
    """What :func:`perceptron_fit` learned.

    Attributes
    ----------
    w : ndarray, shape (n_features,)
        The weights.
    b : float
        The bias.
    mistakes : list of int
        The number of misclassified examples in each epoch (pass over the data).
    """

    w: np.ndarray
    b: float
    mistakes: list[int] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        """Whether the last epoch made no mistake (the data are separated)."""
        return bool(self.mistakes) and self.mistakes[-1] == 0

    def __repr__(self) -> str:
        w = np.array2string(np.asarray(self.w), precision=3, separator=", ")
        return (
            f"PerceptronFit(w={w}, b={self.b:.3g}, epochs={len(self.mistakes)}, "
            f"converged={self.converged})"
        )


def perceptron_predict(w, b, x) -> np.ndarray:
    r"""Outputs of a perceptron: a threshold on the weighted sum.

    .. math:: \hat y = H(x w + b), \qquad H(z) = 1 \text{ if } z > 0 \text{ else } 0

    Parameters
    ----------
    w : array_like, shape (n_features,)
        Weights.
    b : float
        Bias.
    x : array_like, shape (n_samples, n_features) or (n_features,)
        Inputs, one example per row.

    Returns
    -------
    ndarray of int
        0/1 outputs, shape ``(n_samples,)`` (a 0-d array for one example).
    """
    w = as_array(w, "w", "perceptron_predict", ndim=1, layout="(n_features,)")
    b = float(as_array(b, "b", "perceptron_predict", ndim=0))
    x = as_array(x, "x", "perceptron_predict", ndim=(1, 2), layout="(n_samples, n_features)")
    if x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"perceptron_predict: x must have {w.shape[0]} features, as w does; "
            f"received x.shape={x.shape} and w.shape={w.shape}"
        )
    return (x @ w + b > 0).astype(int)


def perceptron_update(w, b, x, y, learning_rate: float = 1.0) -> tuple[np.ndarray, float]:
    r"""One step of Rosenblatt's perceptron learning rule, on one example.

    .. math::

        \hat y = H(w^\top x + b), \qquad
        w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad
        b \leftarrow b + \eta\,(y - \hat y)

    A correct prediction (:math:`\hat y = y`) changes nothing; a wrong one moves the
    weights towards (``y = 1``) or away from (``y = 0``) the example.

    Parameters
    ----------
    w : array_like, shape (n_features,)
        Current weights (not modified).
    b : float
        Current bias.
    x : array_like, shape (n_features,)
        One example.
    y : {0, 1}
        Its label.
    learning_rate : float
        :math:`\eta > 0`.

    Returns
    -------
    (ndarray, float)
        The new weights and bias.
    """
    func = "perceptron_update"
    w = as_array(w, "w", func, ndim=1, layout="(n_features,)")
    x = as_array(x, "x", func, ndim=1, layout="(n_features,) - one example")
    same_shape(w, x, ("w", "x"), func)
    b = float(as_array(b, "b", func, ndim=0))
    y = _label(y, func)
    eta = positive_float(learning_rate, "learning_rate", func)
    error = y - (1 if w @ x + b > 0 else 0)
    return w + eta * error * x, b + eta * error


def perceptron_fit(x, y, *, epochs: int = 20, learning_rate: float = 1.0) -> PerceptronFit:
    r"""Train a perceptron with Rosenblatt's rule, one example at a time.

    Starts from :math:`w = 0, b = 0` and sweeps the examples in order, applying
    :func:`perceptron_update` to each, until an epoch makes no mistake or ``epochs``
    sweeps are done. On linearly separable data the rule stops after finitely many
    mistakes (the perceptron convergence theorem); on data that are not, such as XOR,
    it never does.

    Parameters
    ----------
    x : array_like, shape (n_samples, n_features)
        Inputs.
    y : array_like of {0, 1}, shape (n_samples,)
        Labels.
    epochs : int
        The most sweeps over the data.
    learning_rate : float
        :math:`\eta > 0`.

    Returns
    -------
    PerceptronFit
        Weights, bias and the number of mistakes in each epoch.
    """
    func = "perceptron_fit"
    x = as_array(x, "x", func, ndim=2, layout="(n_samples, n_features)")
    y = as_array(y, "y", func, ndim=(1, 2), layout="(n_samples,)")
    if y.ndim == 2:
        if y.shape[1] != 1:
            raise ValueError(
                f"{func}: y must be 1-D (n_samples,) or a column (n_samples, 1); "
                f"received shape {y.shape}"
            )
        y = y[:, 0]
    if y.shape[0] != x.shape[0]:
        raise ValueError(
            f"{func}: x and y must have the same number of samples; "
            f"received x.shape={x.shape} and y.shape={y.shape}"
        )
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{func}: y must hold 0/1 labels; received values {np.unique(y)}")
    epochs = positive_int(epochs, "epochs", func)
    eta = positive_float(learning_rate, "learning_rate", func)

    w, b = np.zeros(x.shape[1]), 0.0
    mistakes: list[int] = []
    for _ in range(epochs):
        wrong = 0
        for xi, yi in zip(x, y):
            wrong += int(yi) != int(w @ xi + b > 0)
            w, b = perceptron_update(w, b, xi, int(yi), eta)
        mistakes.append(wrong)
        if wrong == 0:
            break
    return PerceptronFit(w=w, b=b, mistakes=mistakes)


def _label(y, func: str) -> int:
    """A 0/1 label as an int, or a ValueError naming ``func``."""
    value = as_array(y, "y", func, ndim=0)
    if value not in (0.0, 1.0):
        raise ValueError(f"{func}: y must be 0 or 1; received {y!r}")
    return int(value)
