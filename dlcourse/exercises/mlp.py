"""Checkers of the chapter "A multilayer perceptron" (``book/code/mlp.ipynb``).

Expected values are recomputed when a checker runs (Keras's accuracy rule for one
sigmoid output, and the binary entropy of the targets), so nothing here stores an
answer a student could read.
"""

from __future__ import annotations

import numpy as np

from .checking import ExerciseFailed, as_float, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_binary_accuracy", "check_bce_floor"]


# --------------------------------------------------------------- binary accuracy


def _keras_binary_accuracy(y_true: np.ndarray, p: np.ndarray) -> float:
    """keras.metrics.binary_accuracy with threshold 0.5: y == (p > 0.5), averaged."""
    return float(np.mean(y_true == (p > 0.5).astype(y_true.dtype)))


def _accuracy_cases():
    """(y_true, p, what the case is), all of shape (n, 1) like a sigmoid output."""
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 2, size=(50, 1)).astype(float)
    noisy = np.clip(labels + rng.normal(0.0, 0.45, size=labels.shape), 0.0, 1.0)
    return [
        (np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.2], [0.9], [0.4], [0.7]]),
         "four labels with two right and two wrong predictions"),
        (labels, noisy, "50 labels 0/1 and probabilities of a fair classifier"),
        (np.array([[0.0], [0.0], [1.0], [1.0]]), np.array([[0.5], [0.5], [0.51], [0.49]]),
         "probabilities of exactly 0.5 (Keras predicts class 1 only for p > 0.5)"),
        (rng.random((20, 1)), rng.random((20, 1)),
         "continuous targets in (0, 1), as in article 002"),
        (np.array([[0.3], [0.7], [0.5]]), np.array([[0.3], [0.7], [0.5]]),
         "continuous targets predicted perfectly, p = y"),
    ]


@checker(
    hints=[
        "Accuracy first turns each probability into a class, then counts how often the "
        "class is right.",
        "Keras's rule for one sigmoid output predicts class one only for probabilities "
        "strictly above one half.",
        "Compare the predicted classes with the targets exactly (the targets are not "
        "rounded) and return the fraction of matches as one float.",
    ]
)
def check_binary_accuracy(binary_accuracy):
    """Check ``binary_accuracy(y_true, p) -> float``, Keras's rule for a sigmoid output."""
    _require_function(binary_accuracy, "binary_accuracy")
    for y, p, what in _accuracy_cases():
        got = as_float(_call(binary_accuracy, y.copy(), p.copy()), "binary_accuracy(y_true, p)")
        expected = _keras_binary_accuracy(y, p)
        # accuracies are multiples of 1/n (n <= 50): 1e-6 accepts float32 results
        if abs(got - expected) > 1e-6 and abs(got - 100 * expected) < 1e-4:
            raise ExerciseFailed("you return a percentage: return a fraction between 0 and 1.")
        expect(abs(got - expected) <= 1e-6, f"the accuracy is wrong for {what}.")


# ------------------------------------------------------------------- BCE floor


def _xlogx(v: np.ndarray) -> np.ndarray:
    """v log v, with 0 log 0 = 0 (its limit)."""
    return np.where(v > 0, v * np.log(np.where(v > 0, v, 1.0)), 0.0)


def _entropy_floor(y: np.ndarray) -> float:
    """Mean binary entropy of the targets: the cross-entropy of the perfect p = y."""
    return float(-np.mean(_xlogx(y) + _xlogx(1.0 - y)))


def _floor_cases():
    rng = np.random.default_rng(5)
    return [
        (np.array([[0.5], [0.5]]), "two targets of 0.5"),
        (rng.random((100, 1)), "100 targets drawn uniformly from [0, 1), as in article 002"),
        (np.array([[0.0], [1.0], [1.0], [0.0]]), "targets that are exactly 0 or 1 "
         "(0 log 0 counts as 0)"),
        (np.array([[0.0], [0.25], [1.0], [0.9], [0.1]]), "a mix of labels 0/1 and soft targets"),
    ]


@checker(
    hints=[
        "For a single target, which prediction gives the smallest binary cross-entropy?",
        "The loss of one target is smallest when the prediction equals the target; the "
        "minimum is then the target's binary entropy, in natural logarithms as Keras "
        "uses.",
        "Average the binary entropy of the targets, counting a target of exactly zero or "
        "one as contributing nothing (NumPy's where, or SciPy's xlogy).",
    ]
)
def check_bce_floor(bce_floor):
    """Check ``bce_floor(y) -> float``, the smallest mean BCE any predictions reach on ``y``."""
    _require_function(bce_floor, "bce_floor")
    for y, what in _floor_cases():
        got = as_float(_call(bce_floor, y.copy()), "bce_floor(y)")
        expected = _entropy_floor(y)
        if expected > 0 and abs(got - expected / np.log(2)) < 1e-9:
            raise ExerciseFailed(f"for {what} you use log base 2: use the natural logarithm.")
        expect(abs(got - expected) <= 1e-9, f"the floor is wrong for {what}.")
