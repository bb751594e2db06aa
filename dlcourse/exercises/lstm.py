"""Checkers of the chapter "An LSTM, step by step" (``book/code/lstm.ipynb``).

- :func:`check_recurrent_params`: the parameter count of one Keras recurrent layer with
  :math:`h` units on :math:`d` input features,

  .. math::
      \\text{SimpleRNN: } h(h + d) + h, \\qquad
      \\text{GRU: } 3\\big(h(h + d) + 2h\\big), \\qquad
      \\text{LSTM: } 4\\big(h(h + d) + h\\big)

  (Keras's GRU has ``reset_after=True`` by default, hence two bias vectors per gate);
- :func:`check_one_hot`: one-hot encoding of integer labels, what
  ``categorical_crossentropy`` needs.

Expected values are recomputed when a checker runs; nothing here stores an answer.
"""

from __future__ import annotations

import numpy as np

from .checking import (ExerciseFailed, as_array, as_int, call_student, checker, expect,
                       require_function)

__all__ = ["check_recurrent_params", "check_one_hot"]

KINDS = ("SimpleRNN", "GRU", "LSTM")

#: (units, features): the chapter's layers, the article's, and odd sizes.
_PARAM_CASES = [(32, 8), (128, 10), (128, 128), (1, 1), (5, 3), (64, 2)]


def _recurrent_params(kind: str, units: int, features: int) -> int:
    h, d = units, features
    return {
        "SimpleRNN": h * (h + d) + h,
        "GRU": 3 * (h * (h + d) + 2 * h),
        "LSTM": 4 * (h * (h + d) + h),
    }[kind]


@checker(
    hints=[
        "A recurrent layer is made of blocks (gates or candidates); every block has the "
        "same three parts.",
        "Each block has an input kernel (features by units), a recurrent kernel (units by"
        " units) and a bias; the number of time steps does not enter.",
        "A SimpleRNN has one block, an LSTM four, a GRU three. Keras's GRU, with its "
        "default reset_after, gives each block a second bias.",
    ]
)
def check_recurrent_params(recurrent_params):
    """Check ``recurrent_params(kind, units, features) -> int`` for the three Keras cells."""
    require_function(recurrent_params, "recurrent_params")
    for kind in KINDS:
        for units, features in _PARAM_CASES:
            got = as_int(call_student(recurrent_params, kind, units, features),
                         f"recurrent_params({kind!r}, {units}, {features})")
            want = _recurrent_params(kind, units, features)
            if got == want:
                continue
            if kind == "GRU" and got == 3 * (units * (units + features) + units):
                raise ExerciseFailed(
                    "the GRU count is that of the original GRU with one bias per gate; "
                    "Keras's default (reset_after=True) has two bias vectors per gate.")
            if got == want - units * units * {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}[kind]:
                raise ExerciseFailed(f"the {kind} count leaves out the recurrent kernel "
                                     f"(the weights from h_(t-1) to each gate).")
            raise ExerciseFailed(
                f"wrong count for {kind} with {units} units on {features} features.")


def _label_cases():
    rng = np.random.default_rng(3)
    return [
        (np.array([3, 0, 9, 3, 1]), 10),
        (rng.integers(0, 10, size=50), 10),
        (np.array([0, 2, 2]), 4),                 # class 3 never occurs: still a column
        (np.array([1]), 2),
    ]


@checker(
    hints=[
        "One-hot coding turns each label into a row of zeros with a single one.",
        "The row has one column per class, and the one sits in the column of the label.",
        "Start from a float matrix of zeros and set one entry per row with fancy indexing"
        " (the row numbers together with the labels), or pick rows of an identity matrix.",
    ]
)
def check_one_hot(one_hot):
    """Check ``one_hot(labels, n_classes) -> (len(labels), n_classes)`` array of 0s and 1s."""
    require_function(one_hot, "one_hot")
    for labels, n in _label_cases():
        got = call_student(one_hot, labels.copy(), n)
        got = as_array(got, f"one_hot(labels, {n})")
        want = np.eye(n)[labels]
        if got.shape == want.T.shape and got.shape != want.shape:
            raise ExerciseFailed(f"one_hot(labels, {n}) has shape {got.shape}: one ROW per "
                                 f"label and one column per class are needed.")
        expect(got.shape == want.shape,
               f"one_hot(labels, {n}) for {len(labels)} labels has shape {got.shape}; expected "
               f"shape ({len(labels)}, {n}).")
        expect(np.all((got == 0) | (got == 1)), "every entry must be 0 or 1.")
        expect(np.all(got.sum(axis=1) == 1), "every row must hold exactly one 1.")
        expect(np.array_equal(got, want),
               "the 1s are in the wrong columns: row i needs its 1 in column labels[i].")
