r"""Optimizers and learning-rate schedules: how gradients become weight updates.

Every optimizer holds a ``learning_rate`` and, where it needs one, a little state
per parameter (a velocity, a running mean of squared gradients). ``step(params,
grads)`` updates a list of NumPy arrays **in place**, with the same update rules
as Keras 3 (``keras/src/optimizers/{sgd,rmsprop,adam}.py``), so a trajectory can be
compared with ``keras.optimizers.*`` number for number.

Plain gradient descent, stochastic gradient descent and mini-batch gradient
descent are one optimizer, :class:`SGD`; they differ only in how many examples
make each gradient, which is ``batch_size`` in :func:`dlcourse.training.fit`.

A schedule changes the learning rate between epochs: :func:`step_decay` and
:func:`exponential_decay` are functions of the epoch number; :class:`ReduceLROnPlateau`
(a "dynamic learning rate") watches the loss and halves the rate when it stops
falling. :func:`minimize` runs an optimizer on a 2-D function and returns the path,
for loss-surface pictures.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from ._validate import as_array, flag, positive_float, positive_int

__all__ = [
    "Optimizer",
    "SGD",
    "RMSprop",
    "Adam",
    "step_decay",
    "exponential_decay",
    "ReduceLROnPlateau",
    "minimize",
]


def _fraction(value, name: str, func: str) -> float:
    """A decay factor such as momentum or beta_1: a number in [0, 1)."""
    value = positive_float(value, name, func, allow_zero=True)
    if value >= 1.0:
        raise ValueError(f"{func}: {name} must be in [0, 1); received {value}")
    return value


class Optimizer:
    """What every optimizer shares: a learning rate, a step counter, ``step``.

    Subclasses write :meth:`update`, the rule for one parameter array; ``state``
    holds that parameter's slots (velocities and the like), created at the first step.
    """

    def __init__(self, learning_rate: float):
        self.learning_rate = learning_rate
        self.iterations = 0  # number of steps taken, like Keras's optimizer.iterations
        self._state: list[dict[str, np.ndarray]] | None = None

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate = positive_float(
            value, "learning_rate", type(self).__name__, allow_zero=True
        )

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every array of ``params`` in place from the matching ``grads``.

        Parameters
        ----------
        params : list of ndarray
            The parameters, float arrays updated in place. Pass them in the same order
            at every step: the optimizer's state is matched to them by position.
        grads : list of ndarray
            Gradients of the loss, one per parameter, same shapes.
        """
        name = f"{type(self).__name__}.step"
        if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
            raise TypeError(
                f"{name}: params and grads must be lists of arrays (wrap one array as [x]); "
                f"received params={type(params).__name__} and grads={type(grads).__name__}"
            )
        if len(params) != len(grads):
            raise ValueError(
                f"{name}: expected one gradient per parameter; received "
                f"{len(params)} params and {len(grads)} grads"
            )
        if self._state is None:
            self._state = [self._new_state(p) for p in params]
        elif len(self._state) != len(params):
            raise ValueError(
                f"{name}: this optimizer was started on {len(self._state)} parameters; "
                f"received {len(params)} (use a new optimizer for a new model)"
            )
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                got = f"dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(f"{name}: params[{i}] must be a float ndarray (it is updated in place); received {got}")
            if not isinstance(g, np.ndarray):
                raise TypeError(f"{name}: grads[{i}] must be an ndarray; received {type(g).__name__}")
            if p.shape != g.shape:
                raise ValueError(
                    f"{name}: parameter {i} and its gradient must have the same shape; "
                    f"received param.shape={p.shape} and grad.shape={g.shape}"
                )
            self.update(p, g, self._state[i])
        self.iterations += 1

    def _new_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {}

    def update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        raise NotImplementedError

    def _repr_args(self) -> str:
        return f"learning_rate={self.learning_rate:g}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._repr_args()})"


class SGD(Optimizer):
    r"""Gradient descent, optionally with momentum or Nesterov momentum (Keras 3 rule).

    Without momentum:

    .. math:: w \leftarrow w - \eta\, g

    With momentum :math:`\mu` the velocity :math:`v` (starting at 0) accumulates
    past steps:

    .. math::
        v \leftarrow \mu v - \eta\, g, \qquad
        w \leftarrow w + v \quad\text{(classical)}, \qquad
        w \leftarrow w + \mu v - \eta\, g \quad\text{(Nesterov)}.

    Parameters
    ----------
    learning_rate : float
        The step size :math:`\eta \ge 0`.
    momentum : float
        :math:`\mu \in [0, 1)`; 0 is plain gradient descent.
    nesterov : bool
        Use Nesterov's look-ahead form.
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(learning_rate)
        self.momentum = _fraction(momentum, "momentum", "SGD")
        self.nesterov = flag(nesterov, "nesterov", "SGD")

    def _new_state(self, p):
        return {"velocity": np.zeros_like(p)} if self.momentum else {}

    def update(self, p, g, state):
        lr, mu = self.learning_rate, self.momentum
        if not mu:
            p -= lr * g
            return
        v = state["velocity"]
        v *= mu
        v -= lr * g
        if self.nesterov:
            p += mu * v - lr * g
        else:
            p += v

    def _repr_args(self):
        extra = f", momentum={self.momentum:g}" if self.momentum else ""
        extra += ", nesterov=True" if self.nesterov else ""
        return super()._repr_args() + extra


class RMSprop(Optimizer):
    r"""RMSprop: divide each step by a running root-mean-square of the gradients.

    Keras 3 puts :math:`\epsilon` **inside** the square root:

    .. math::
        s \leftarrow \rho s + (1 - \rho)\, g^2, \qquad
        w \leftarrow w - \frac{\eta\, g}{\sqrt{s + \epsilon}}

    with :math:`s` starting at 0 (all operations element-wise).

    Parameters
    ----------
    learning_rate : float
        :math:`\eta`.
    rho : float
        Decay of the running average, in [0, 1).
    epsilon : float
        Small constant that keeps the division finite.
    """

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = _fraction(rho, "rho", "RMSprop")
        self.epsilon = positive_float(epsilon, "epsilon", "RMSprop")

    def _new_state(self, p):
        return {"mean_square": np.zeros_like(p)}

    def update(self, p, g, state):
        s = state["mean_square"]
        s *= self.rho
        s += (1.0 - self.rho) * g * g
        p -= self.learning_rate * g / np.sqrt(s + self.epsilon)

    def _repr_args(self):
        return super()._repr_args() + f", rho={self.rho:g}"


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and RMSprop-style scaling, bias-corrected.

    At step :math:`t = 1, 2, \dots` (Keras 3's form, which folds the bias correction
    into the step size and adds :math:`\epsilon` to :math:`\sqrt{v}` uncorrected):

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2,

    .. math::
        \alpha_t = \eta\, \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}, \qquad
        w \leftarrow w - \alpha_t\, \frac{m}{\sqrt{v} + \epsilon}.

    This equals the paper's :math:`\hat m / (\sqrt{\hat v} + \hat\epsilon)` with a
    slightly different :math:`\hat\epsilon`; the two agree whenever
    :math:`\epsilon \ll \sqrt{v}`.

    Parameters
    ----------
    learning_rate : float
        :math:`\eta`.
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates, in [0, 1).
    epsilon : float
        Small constant that keeps the division finite.
    """

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ):
        super().__init__(learning_rate)
        self.beta_1 = _fraction(beta_1, "beta_1", "Adam")
        self.beta_2 = _fraction(beta_2, "beta_2", "Adam")
        self.epsilon = positive_float(epsilon, "epsilon", "Adam")

    def _new_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def update(self, p, g, state):
        t = self.iterations + 1
        b1, b2 = self.beta_1, self.beta_2
        m, v = state["m"], state["v"]
        m += (1.0 - b1) * (g - m)
        v += (1.0 - b2) * (g * g - v)
        alpha = self.learning_rate * math.sqrt(1.0 - b2**t) / (1.0 - b1**t)
        p -= alpha * m / (np.sqrt(v) + self.epsilon)

    def _repr_args(self):
        return super()._repr_args() + f", beta_1={self.beta_1:g}, beta_2={self.beta_2:g}"


# ---------------------------------------------------------------- schedules


def _decay_factor(value, name: str, func: str) -> float:
    """A factor in (0, 1]: a schedule that decays must not grow the rate."""
    value = positive_float(value, name, func)
    if value > 1.0:
        raise ValueError(f"{func}: {name} must be in (0, 1]; received {value}")
    return value


def step_decay(lr0: float, drop: float, every: int) -> Callable[[int], float]:
    r"""Multiply the learning rate by ``drop`` every ``every`` epochs.

    .. math:: \eta_e = \eta_0 \cdot \text{drop}^{\lfloor e / \text{every} \rfloor}

    Same values as ``keras.optimizers.schedules.ExponentialDecay(lr0, every, drop,
    staircase=True)`` at integer steps.

    Parameters
    ----------
    lr0 : float
        Learning rate at epoch 0.
    drop : float
        Factor in (0, 1] (1 keeps the rate constant).
    every : int
        Epochs between drops.

    Returns
    -------
    callable
        ``schedule(epoch) -> learning rate``, epochs counted from 0.
    """
    lr0 = positive_float(lr0, "lr0", "step_decay")
    drop = _decay_factor(drop, "drop", "step_decay")
    every = positive_int(every, "every", "step_decay")

    def schedule(epoch: int) -> float:
        return lr0 * drop ** (int(epoch) // every)

    schedule.__name__ = f"step_decay(lr0={lr0:g}, drop={drop:g}, every={every})"
    return schedule


def exponential_decay(lr0: float, rate: float, decay_steps: int) -> Callable[[int], float]:
    r"""Shrink the learning rate smoothly by a factor ``rate`` per ``decay_steps``.

    .. math:: \eta_e = \eta_0 \cdot \text{rate}^{\,e / \text{decay\_steps}}

    Same values as ``keras.optimizers.schedules.ExponentialDecay(lr0, decay_steps,
    rate)``. ``rate`` is in (0, 1].

    Returns
    -------
    callable
        ``schedule(epoch) -> learning rate``, epochs counted from 0.
    """
    lr0 = positive_float(lr0, "lr0", "exponential_decay")
    rate = _decay_factor(rate, "rate", "exponential_decay")
    decay_steps = positive_int(decay_steps, "decay_steps", "exponential_decay")

    def schedule(epoch: int) -> float:
        return lr0 * rate ** (epoch / decay_steps)

    schedule.__name__ = f"exponential_decay(lr0={lr0:g}, rate={rate:g}, decay_steps={decay_steps})"
    return schedule


class ReduceLROnPlateau:
    r"""A dynamic learning rate: cut it when the loss stops improving.

    After each epoch call :meth:`update` with the epoch's loss. A loss counts as an
    improvement when it is below the best so far by more than ``min_delta``; after
    ``patience`` epochs in a row without one, the rate is multiplied by ``factor``
    (never below ``min_lr``) and the count starts again:

    .. math:: \eta \leftarrow \max(\text{factor}\cdot\eta,\ \text{min\_lr})

    The same rule as ``keras.callbacks.ReduceLROnPlateau`` (without cooldown).
    :func:`dlcourse.training.fit` sets ``learning_rate`` from its optimizer and feeds
    it the validation loss if there is validation data, else the training loss.

    Parameters
    ----------
    factor : float
        Multiplier in (0, 1).
    patience : int
        Epochs without improvement before a cut.
    min_lr : float
        Floor of the learning rate.
    min_delta : float
        Smallest decrease that counts as an improvement (Keras's default 1e-4).
    learning_rate : float, optional
        Starting rate, when used outside ``fit``.
    """

    def __init__(
        self,
        factor: float = 0.5,
        patience: int = 3,
        min_lr: float = 1e-6,
        min_delta: float = 1e-4,
        learning_rate: float | None = None,
    ):
        self.factor = positive_float(factor, "factor", "ReduceLROnPlateau")
        if self.factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be < 1; received {self.factor}")
        self.patience = positive_int(patience, "patience", "ReduceLROnPlateau", minimum=0)
        self.min_lr = positive_float(min_lr, "min_lr", "ReduceLROnPlateau", allow_zero=True)
        self.min_delta = positive_float(min_delta, "min_delta", "ReduceLROnPlateau", allow_zero=True)
        self.learning_rate = None
        if learning_rate is not None:
            self.reset(learning_rate)

    def reset(self, learning_rate: float) -> None:
        """Start again from ``learning_rate``, forgetting the best loss seen."""
        self.learning_rate = positive_float(learning_rate, "learning_rate", "ReduceLROnPlateau")
        self.best = math.inf
        self.wait = 0

    def update(self, loss: float) -> float:
        """Record one epoch's loss; return the learning rate for the next epoch."""
        if self.learning_rate is None:
            raise ValueError(
                "ReduceLROnPlateau.update: no learning rate yet; pass learning_rate=... "
                "when creating it, call reset(lr), or give it to fit(schedule=...)"
            )
        loss = float(loss)
        if not math.isfinite(loss):
            raise ValueError(f"ReduceLROnPlateau.update: loss must be finite; received {loss}")
        if loss < self.best - self.min_delta:
            self.best, self.wait = loss, 0
        else:
            self.wait += 1
            if self.wait >= self.patience and self.learning_rate > self.min_lr:
                self.learning_rate = max(self.learning_rate * self.factor, self.min_lr)
                self.wait = 0
        return self.learning_rate

    def __repr__(self) -> str:
        return (
            f"ReduceLROnPlateau(factor={self.factor:g}, patience={self.patience}, "
            f"min_lr={self.min_lr:g})"
        )


# ---------------------------------------------------------------- 2-D demos


def minimize(
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x0,
    optimizer: Optimizer,
    steps: int,
) -> np.ndarray:
    r"""Run ``optimizer`` on a function given by its gradient; return the path.

    .. math:: x_{k+1} = \text{optimizer step}(x_k, \nabla f(x_k)), \quad k = 0, \dots, \text{steps}-1

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(x) -> ndarray`` of the same shape as ``x``.
    x0 : array_like, shape (dim,)
        Starting point (copied, not modified).
    optimizer : Optimizer
        A fresh optimizer (its state is used and changed).
    steps : int
        Number of updates.

    Returns
    -------
    ndarray, shape (steps + 1, dim)
        Every point visited, ``x0`` first.
    """
    func = "minimize"
    if not callable(grad_fn):
        raise TypeError(f"{func}: grad_fn must be callable; received {type(grad_fn).__name__}")
    x = as_array(x0, "x0", func, ndim=1, layout="(dim,)").copy()
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{func}: optimizer must be a dlcourse optimizer; received {optimizer!r}")
    steps = positive_int(steps, "steps", func, minimum=0)
    path = np.empty((steps + 1, x.size))
    path[0] = x
    for k in range(steps):
        g = np.asarray(grad_fn(x.copy()), dtype=np.float64)
        if g.shape != x.shape:
            raise ValueError(
                f"{func}: grad_fn(x) must have the shape of x; received "
                f"x.shape={x.shape} and grad.shape={g.shape}"
            )
        optimizer.step([x], [g])
        path[k + 1] = x
    return path
