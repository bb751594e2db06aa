r"""The training loop: forward, loss, backward, update, for a number of epochs.

One epoch shuffles the training set (with a seeded generator) and walks through it
in batches. For every batch

.. math::
    \hat y = \text{model}(x_B), \qquad
    L_B = \text{loss}(y_B, \hat y) + \lambda \sum_W \lVert W \rVert^2, \qquad
    w \leftarrow \text{optimizer step}\big(w, \partial L_B / \partial w\big).

``batch_size`` picks the member of the gradient-descent family: ``None`` uses the
whole training set for each step (batch gradient descent, one step per epoch), ``1``
one example (stochastic gradient descent), ``k`` a mini-batch of ``k``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import losses as _losses
from . import regularization as _reg
from ._validate import as_array, as_rng, flag, one_of, positive_float, positive_int
from .layers import Sequential
from .optimizers import Optimizer, ReduceLROnPlateau

__all__ = ["History", "fit", "evaluate", "accuracy", "format_epoch", "LOSSES"]

#: Loss name -> (loss(y_true, output), d loss / d output). The model's last layer
#: must produce what the loss expects: any value for ``"mse"``, a probability
#: (sigmoid output) for ``"binary_crossentropy"``, logits (linear output) for
#: ``"softmax_crossentropy"``.
LOSSES = {
    "mse": (_losses.mse, _losses.mse_grad),
    "binary_crossentropy": (_losses.binary_crossentropy, _losses.binary_crossentropy_grad),
    "softmax_crossentropy": (_losses.softmax_crossentropy, _losses.softmax_crossentropy_grad),
}
_CLASSIFICATION = ("binary_crossentropy", "softmax_crossentropy")


@dataclass
class History:
    """What :func:`fit` records, one value per epoch, like ``keras.callbacks.History``.

    ``history`` maps ``"loss"`` and ``"lr"`` (always), ``"accuracy"`` (classification
    losses) and ``"val_loss"``/``"val_accuracy"`` (with validation data) to lists.
    """

    history: dict[str, list[float]] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        return len(self.history.get("loss", []))

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v and k != "lr")
        return f"History(epochs={self.epochs}{', ' if last else ''}{last})"


def accuracy(y_true, y_pred, threshold: float = 0.5) -> float:
    r"""Fraction of correct predictions.

    .. math:: \text{accuracy} = \frac{1}{N}\sum_i [\hat c_i = c_i]

    with :math:`\hat c_i = \arg\max_k \hat y_{ik}` for several output columns (logits
    or probabilities), or :math:`\hat c_i = [\hat y_i > \text{threshold}]` for one
    column of probabilities. ``y_true`` holds integer labels, or one-hot rows.
    """
    func = "accuracy"
    y_pred = as_array(y_pred, "y_pred", func, ndim=(1, 2), layout="(samples,) or (samples, classes)")
    y_true = as_array(y_true, "y_true", func, ndim=(1, 2), layout="(samples,) or (samples, classes)")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"{func}: y_true and y_pred must have the same number of samples; "
            f"received y_true.shape={y_true.shape} and y_pred.shape={y_pred.shape}"
        )
    return _accuracy(y_true, y_pred, threshold)


def _accuracy(y_true: np.ndarray, y_pred: np.ndarray, threshold: float = 0.5) -> float:
    if y_pred.ndim == 2 and y_pred.shape[1] > 1:
        pred = y_pred.argmax(axis=1)
        true = y_true.argmax(axis=1) if y_true.ndim == 2 else y_true
    else:
        pred = y_pred.reshape(-1) > threshold
        true = y_true.reshape(-1) > 0.5
    return float(np.mean(pred == true))


def _targets(y, loss: str, n: int, func: str, name: str = "y", x_shape=None) -> np.ndarray:
    """Validate targets: integer labels for softmax, a column for mse/bce."""
    y = as_array(y, name, func, ndim=(1, 2), layout="(samples,) or (samples, outputs)")
    if len(y) != n:
        xname = "x" if name == "y" else "x_val"
        raise ValueError(
            f"{func}: {xname} and {name} must have the same number of samples; "
            f"received {xname}.shape={x_shape} and {name}.shape={y.shape}"
        )
    if loss == "softmax_crossentropy" and y.ndim == 1:
        if np.any(y < 0) or np.any(y != np.round(y)):
            raise ValueError(
                f"{func}: {name} must hold integer class labels 0, 1, ... for "
                f"loss='softmax_crossentropy'"
            )
        return y.astype(np.int64)
    if loss != "softmax_crossentropy" and y.ndim == 1:
        return y.reshape(-1, 1)
    return y


def _penalized(model) -> list[np.ndarray]:
    """The weights L2 acts on: every parameter with 2 or more axes (not biases)."""
    return [p for p, _ in model.parameters() if p.ndim >= 2]


def _l2_value(model, l2: float) -> float:
    return float(_reg.l2_penalty(_penalized(model), l2)) if l2 else 0.0


def _check_output(out: np.ndarray, y: np.ndarray, loss: str, func: str) -> None:
    """Refuse a model whose outputs do not fit the targets (before any training)."""
    if loss == "softmax_crossentropy" and y.ndim == 1:  # integer labels
        n_classes = int(y.max(initial=0)) + 1
        if out.ndim == 2 and out.shape[1] >= n_classes:
            return
        want = f"logits of shape (samples, classes) with classes >= {n_classes}"
    elif out.shape[1:] == y.shape[1:]:
        return
    else:
        want = f"shape (samples, {', '.join(map(str, y.shape[1:]))})"
    raise ValueError(
        f"{func}: loss={loss!r} needs model outputs of {want}; received model "
        f"output shape {out.shape} for y.shape={y.shape}"
    )


def evaluate(model, x, y, *, loss: str, l2: float = 0.0) -> dict[str, float]:
    """Loss (plus the L2 penalty, if ``l2``) and, for classification, accuracy.

    Runs the model in inference mode (dropout off) on all of ``x`` at once.
    """
    func = "evaluate"
    loss = one_of(loss, "loss", func, LOSSES)
    x = as_array(x, "x", func, ndim=(2, 3, 4), layout="(samples, ...)")
    y = _targets(y, loss, len(x), func, x_shape=x.shape)
    l2 = positive_float(l2, "l2", func, allow_zero=True)
    out = model.forward(x, training=False)
    _check_output(out, y, loss, func)
    result = {"loss": float(LOSSES[loss][0](y, out)) + _l2_value(model, l2)}
    if loss in _CLASSIFICATION:
        result["accuracy"] = _accuracy(y, out)
    return result


def format_epoch(epoch: int, epochs: int | None, logs: dict) -> str:
    """One log line: ``epoch  10/100  loss 0.1234  accuracy 0.9612``.

    The one format of dlcourse's epoch lines, printed by :func:`fit` (``verbose``)
    and by ``dlcourse.models.EpochLogger`` for Keras. The loss comes first, then the
    other metrics, then the validation ones, each with 4 decimals (the learning rate
    ``lr``, which can be tiny, with 4 significant digits); no timings, so a seeded
    run prints the same text every time.
    """
    width = len(str(epochs)) if epochs else 1
    head = f"epoch {epoch:>{width}}" + (f"/{epochs}" if epochs else "")
    keys = sorted(logs, key=lambda k: (k == "lr", k.startswith("val_"), k not in ("loss", "val_loss")))
    return "  ".join([head] + [f"{k} {float(logs[k]):{'.4g' if k == 'lr' else '.4f'}}" for k in keys])


class _FitArguments(NamedTuple):
    loss: str
    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None
    epochs: int
    batch_size: int
    shuffle: bool
    rng: np.random.Generator
    l2: float
    every: int


def _fit_arguments(model, x, y, loss, optimizer, epochs, batch_size, shuffle, rng,
                   validation_data, l2, schedule, verbose) -> _FitArguments:
    """Check every argument of :func:`fit` once, before any training, and normalise it."""
    func = "fit"
    loss = one_of(loss, "loss", func, LOSSES)
    x = as_array(x, "x", func, ndim=(2, 3, 4), layout="(samples, ...)")
    n = len(x)
    if n == 0:
        raise ValueError(f"{func}: x must hold at least one sample; received shape {x.shape}")
    y = _targets(y, loss, n, func, x_shape=x.shape)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{func}: optimizer must be a dlcourse.optimizers optimizer; received {optimizer!r}")
    epochs = positive_int(epochs, "epochs", func)
    batch_size = n if batch_size is None else min(positive_int(batch_size, "batch_size", func), n)
    shuffle = flag(shuffle, "shuffle", func)
    rng = as_rng(rng, func)
    l2 = positive_float(l2, "l2", func, allow_zero=True)
    if schedule is not None and not (isinstance(schedule, ReduceLROnPlateau) or callable(schedule)):
        raise TypeError(f"{func}: schedule must be callable(epoch) -> lr or a ReduceLROnPlateau; received {schedule!r}")
    validation = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError(f"{func}: validation_data must be a pair (x_val, y_val)")
        x_val = as_array(validation_data[0], "x_val", func, ndim=x.ndim, layout="like x")
        validation = x_val, _targets(validation_data[1], loss, len(x_val), func, "y_val", x_val.shape)
    if isinstance(verbose, (bool, np.bool_)):
        every = int(bool(verbose))
    else:
        every = positive_int(verbose, "verbose", func, minimum=0)
    _check_output(model.forward(x[:1], training=False), y, loss, func)
    return _FitArguments(loss, x, y, validation, epochs, batch_size, shuffle, rng, l2, every)


def _train_step(model, xb, yb, loss: str, optimizer: Optimizer, l2: float):
    """One step on one batch: forward, loss, backward, L2 gradient, update. Returns (output, loss)."""
    loss_fn, grad_fn = LOSSES[loss]
    out = model.forward(xb, training=True)
    model.backward(grad_fn(yb, out))
    pairs = model.parameters()
    batch_loss = float(loss_fn(yb, out))
    if l2:
        batch_loss += _l2_value(model, l2)
        for p, g in pairs:
            if p.ndim >= 2:
                g += _reg.l2_grad(p, l2)
    optimizer.step([p for p, _ in pairs], [g for _, g in pairs])
    return out, batch_loss


def fit(
    model: Sequential,
    x,
    y,
    *,
    loss: str,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int | None = None,
    shuffle: bool = True,
    rng=None,
    validation_data=None,
    l2: float = 0.0,
    schedule=None,
    verbose: bool | int = False,
) -> History:
    r"""Train ``model`` in place with mini-batch gradient descent.

    Parameters
    ----------
    model : Sequential
        Anything with ``forward``, ``backward`` and ``parameters()``.
    x : array_like, shape (samples, ...)
        Inputs.
    y : array_like
        Targets: integer labels (samples,) for ``"softmax_crossentropy"``; values
        (samples, outputs) — or (samples,) for one output — for the other losses.
    loss : {"mse", "binary_crossentropy", "softmax_crossentropy"}
        See :data:`LOSSES` for what the last layer must output.
    optimizer : Optimizer
        A :mod:`dlcourse.optimizers` instance; its ``learning_rate`` is set by
        ``schedule`` if one is given.
    epochs : int
        Passes over the training set.
    batch_size : int or None
        ``None``: the whole set per step; ``1``: stochastic gradient descent.
    shuffle : bool
        Draw a new order of the examples every epoch.
    rng : numpy.random.Generator, int or None
        Source of the shuffling: the same generator state gives the same training.
    validation_data : (x_val, y_val), optional
        Evaluated (dropout off) after every epoch.
    l2 : float
        Weight :math:`\lambda` of the L2 penalty :math:`\lambda\sum W^2` on every
        weight matrix (biases are not penalized).
    schedule : callable or ReduceLROnPlateau, optional
        ``schedule(epoch) -> lr`` applied at the start of every epoch (epochs count
        from 0), or a :class:`~dlcourse.optimizers.ReduceLROnPlateau` fed the
        validation loss (training loss without validation data) after every epoch.
    verbose : bool or int
        Print one line every ``verbose`` epochs (``True``: every epoch), in the
        format of :func:`format_epoch`.

    Returns
    -------
    History
        Per-epoch ``loss`` (mean over the epoch's batches, weighted by batch size,
        penalty included — what Keras reports), ``lr`` and, where they apply,
        ``accuracy``, ``val_loss``, ``val_accuracy``.
    """
    loss, x, y, validation, epochs, batch_size, shuffle, rng, l2, every = _fit_arguments(
        model, x, y, loss, optimizer, epochs, batch_size, shuffle, rng, validation_data, l2,
        schedule, verbose)
    n, classify, plateau = len(x), loss in _CLASSIFICATION, isinstance(schedule, ReduceLROnPlateau)
    if plateau:
        schedule.reset(optimizer.learning_rate)
    keys = ["loss"] + (["accuracy"] if classify else [])
    keys += [f"val_{k}" for k in keys] if validation is not None else []
    history = History({k: [] for k in keys + ["lr"]})
    for epoch in range(epochs):
        if schedule is not None and not plateau:
            optimizer.learning_rate = schedule(epoch)
        order = rng.permutation(n) if shuffle else np.arange(n)
        total, correct = 0.0, 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            out, batch_loss = _train_step(model, x[idx], y[idx], loss, optimizer, l2)
            total += batch_loss * len(idx)
            if classify:
                correct += _accuracy(y[idx], out) * len(idx)
        logs = {"loss": total / n}
        if classify:
            logs["accuracy"] = correct / n
        if validation is not None:
            logs.update({f"val_{k}": v for k, v in evaluate(model, *validation, loss=loss, l2=l2).items()})
        logs["lr"] = optimizer.learning_rate
        for k, v in logs.items():
            history.history[k].append(v)
        if every and (epoch + 1) % every == 0:
            print(format_epoch(epoch + 1, epochs, logs))
        if plateau:
            optimizer.learning_rate = schedule.update(logs.get("val_loss", logs["loss"]))
    return history
