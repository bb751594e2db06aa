"""Checkers of the Background chapter (``book/background/background.ipynb``).

Expected values are recomputed from :mod:`dlcourse.milestones` when a checker runs, so
nothing here stores an answer a student could read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np

from .. import milestones
from .checking import ExerciseFailed, as_array, as_float, as_int, checker, expect
from .checking import call_student as _call

__all__ = ["check_perceptron_update", "check_xor_network", "check_milestones_per_decade"]

_TABLE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
_AND = np.array([0, 0, 0, 1])
_XOR = np.array([0, 1, 1, 0])


def _step(z: np.ndarray) -> np.ndarray:
    """H(z) = 1 where z > 0, else 0 (so H(0) = 0, as in the chapter)."""
    return (z > 0).astype(float)


# ------------------------------------------------------------------------- exercise 2


def _update_cases():
    """(w, b, x, y, learning_rate, what the case tests), fixed and readable."""
    rng = np.random.default_rng(1958)
    cases = [
        (np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1, 1.0,
         "a correctly classified example (the weights must not change)"),
        (np.array([1.0, 1.0]), -1.5, np.array([0.0, 1.0]), 0, 1.0,
         "a correctly classified example (the weights must not change)"),
        (np.array([0.5, -1.0]), 0.0, np.array([1.0, 2.0]), 1, 0.5,
         "a missed positive example (y = 1, prediction 0)"),
        (np.array([0.5, 1.0]), 0.25, np.array([1.0, 2.0]), 0, 0.1,
         "a missed negative example (y = 0, prediction 1)"),
        (np.zeros(2), 0.0, np.array([1.0, 1.0]), 0, 1.0,
         "w.x + b = 0 exactly, where the perceptron outputs 0 (H(z) = 1 only for z > 0)"),
        (np.zeros(2), 0.0, np.array([1.0, 1.0]), 1, 1.0,
         "w.x + b = 0 exactly, where the perceptron outputs 0 (H(z) = 1 only for z > 0)"),
    ]
    for _ in range(4):
        w, x = rng.normal(size=3), rng.normal(size=3)
        cases.append((w, float(rng.normal()), x, int(rng.integers(2)), float(rng.uniform(0.1, 2)),
                      "a random example with 3 features and a learning rate other than 1"))
    return cases


@checker(
    hints=[
        "The perceptron changes its weights only when it gets the example wrong.",
        "Predict first with the step function of the chapter, then move both the weights "
        "and the bias by the learning rate times the error, in the direction of the input"
        " for the weights.",
        "Return a new pair (weights, bias) rather than editing w in place, and use the "
        "chapter's convention for the step: it outputs one only when the weighted sum "
        "plus bias is strictly positive.",
    ]
)
def check_perceptron_update(perceptron_update):
    """Check a student's ``perceptron_update(w, b, x, y, learning_rate) -> (w, b)``."""
    expect(perceptron_update is not None and perceptron_update is not Ellipsis,
           "perceptron_update is a placeholder: define the function first.")
    expect(callable(perceptron_update),
           "pass the function itself (perceptron_update), not the result of calling it.")
    for w, b, x, y, lr, what in _update_cases():
        w_in, x_in = w.copy(), x.copy()
        out = _call(perceptron_update, w_in, b, x_in, y, lr)
        expect(isinstance(out, (tuple, list)) and len(out) == 2,
               f"perceptron_update must return a pair (new_w, new_b); it returned "
               f"{type(out).__name__}.")
        new_w = as_array(out[0], "new_w", shape=w.shape)
        new_b = as_float(out[1], "new_b")
        ref_w, ref_b = milestones.perceptron_update(w, b, x, y, lr)
        expect(np.allclose(new_w, ref_w, atol=1e-9) and abs(new_b - ref_b) <= 1e-9,
               f"the new weights or bias are wrong for {what}.")
        expect(np.array_equal(x_in, x), "perceptron_update must not modify the example x.")

    w, b = np.zeros(2), 0.0
    for _ in range(25):
        for xi, yi in zip(_TABLE, _AND):
            w, b = _call(perceptron_update, np.asarray(w, dtype=float).copy(), float(b),
                         xi.copy(), int(yi), 1.0)
    expect(np.array_equal(milestones.perceptron_predict(w, b, _TABLE), _AND),
           "25 epochs of your rule on the AND table do not separate it.")


# ------------------------------------------------------------------------- exercise 3


@checker(
    hints=[
        "XOR is true when at least one input is on but not both: think of it as a "
        "combination of two simpler gates.",
        "Let one hidden unit compute OR and the other NAND (or AND); the output unit then"
        " combines the two.",
        "A step unit computes OR when both weights are positive and the bias sits just "
        "below the smallest positive sum; choose NAND's and the output unit's weights and"
        " biases by checking the four rows of the truth table one by one.",
    ]
)
def check_xor_network(weights):
    """Check ``weights = (W1, b1, W2, b2)`` of a 2-hidden-unit step network for XOR."""
    expect(weights is not None and weights is not Ellipsis,
           "weights is a placeholder: set weights = (W1, b1, W2, b2).")
    expect(isinstance(weights, (tuple, list)),
           f"weights must be a tuple of four arrays (W1, b1, W2, b2); received "
           f"{type(weights).__name__}.")
    expect(len(weights) == 4, f"weights must hold four arrays (W1, b1, W2, b2); received "
                              f"{len(weights)}.")
    w1, b1, w2, b2 = weights
    w1 = as_array(w1, "W1")
    expect(w1.ndim == 2 and w1.shape[0] == 2 and w1.shape[1] >= 1,
           f"W1 must have shape (2, hidden) - two inputs; received shape {w1.shape}.")
    hidden = w1.shape[1]
    b1 = as_array(b1, "b1")
    expect(b1.shape in ((hidden,), (1, hidden)),
           f"b1 must have shape ({hidden},), one bias per hidden unit; received shape "
           f"{b1.shape}.")
    b1 = b1.reshape(-1)
    w2 = as_array(w2, "W2")
    expect(w2.shape in ((hidden,), (hidden, 1)),
           f"W2 must have shape ({hidden}, 1) or ({hidden},); received shape {w2.shape}.")
    b2 = as_float(b2, "b2")

    h = _step(_TABLE @ w1 + b1)
    out = _step(h @ w2.reshape(-1) + b2).astype(int)
    wrong = [tuple(int(v) for v in _TABLE[i]) for i in np.flatnonzero(out != _XOR)]
    expect(not wrong, f"the network is wrong on {len(wrong)} of the 4 inputs: "
                      f"{', '.join(map(str, wrong))}.")


# ------------------------------------------------------------------------- exercise 4


def _decade_name(decade: int) -> str:
    return f"the {decade}s"


@checker(
    hints=[
        "Group the milestones by the decade of their year and count each group.",
        "The decade of a year is the year with its last digit replaced by zero: integer "
        "division and multiplication by ten give it.",
        "Loop over dlcourse.milestones.MILESTONES (or use collections.Counter) and count the"
        " decade of each milestone's year; return a mapping from decade to count.",
    ]
)
def check_milestones_per_decade(counts):
    """Check ``counts``, a mapping decade -> number of milestones in ``MILESTONES``."""
    expect(counts is not None and counts is not Ellipsis,
           "counts is a placeholder: build the dictionary first.")
    expect(isinstance(counts, Mapping),
           f"counts must be a dict mapping each decade (1940, 1950, ...) to a number of "
           f"milestones; received {type(counts).__name__}.")
    got: dict[int, int] = {}
    for key, value in counts.items():
        decade = as_int(key, f"the key {key!r}")
        expect(decade % 10 == 0,
               f"the key {decade} is not a decade: use the decade's first year, "
               f"e.g. 1980 for 1980-1989.")
        n = as_int(value, f"counts[{decade}]")
        expect(n >= 0, f"counts[{decade}] is negative.")
        if n:
            got[decade] = n
    expected = Counter(m.year // 10 * 10 for m in milestones.MILESTONES)
    for decade in sorted(set(expected) | set(got)):
        if decade not in got:
            raise ExerciseFailed(f"no count for {_decade_name(decade)}, which has milestones.")
        if decade not in expected:
            raise ExerciseFailed(f"there is no milestone in {_decade_name(decade)}.")
        if got[decade] != expected[decade]:
            raise ExerciseFailed(f"the count for {_decade_name(decade)} is off.")

