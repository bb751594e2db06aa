"""Checkers of the chapter "A CNN for handwritten digits" (``book/code/cnn_digits.ipynb``).

- :func:`check_conv_output_size`: the shape arithmetic of a convolution or pooling
  window along one axis,

  .. math:: n_\\text{out} = \\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1

  with ``padding="valid"`` (:math:`p = 0`), ``"same"`` (:math:`n_\\text{out} = \\lceil n/s
  \\rceil`, as in Keras and :func:`dlcourse.conv.conv2d`) or an int :math:`p`;
- :func:`check_confusion`: a confusion matrix, :math:`C_{ij}` = the number of examples
  of true class :math:`i` predicted as class :math:`j`.

Expected values are recomputed when a checker runs; nothing here stores an answer.
"""

from __future__ import annotations

import math

import numpy as np

from .checking import (ExerciseFailed, as_array, as_int, call_student, checker, expect,
                       require_function)

__all__ = ["check_conv_output_size", "check_confusion"]

#: (n, kernel, stride, padding): the chapter's layers, then strides, odd sizes, int padding.
_SIZE_CASES = [
    (28, 3, 1, "valid"), (26, 2, 2, "valid"), (13, 3, 1, "valid"), (11, 2, 2, "valid"),
    (8, 3, 1, "valid"), (6, 2, 2, "valid"), (3, 3, 1, "valid"), (1, 2, 2, "valid"),
    (8, 3, 1, "same"), (8, 2, 2, "same"), (7, 3, 2, "same"), (7, 2, 2, "same"),
    (10, 5, 3, "same"), (9, 4, 2, "valid"), (32, 5, 1, 2), (8, 3, 2, 1), (5, 3, 1, 0),
    (2, 5, 1, "valid"),
]


def _output_size(n: int, kernel: int, stride: int, padding) -> int:
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    return max((n + 2 * p - kernel) // stride + 1, 0)


@checker(
    hints=[
        "Count how many positions a window of the kernel size can take along one axis, "
        "stepping by the stride.",
        "Padding adds cells on both sides before counting; 'valid' adds none; 'same' pads"
        " so that the output size depends only on the input size and the stride.",
        "Count with integer division (a partial window does not count), add one for the "
        "first position, round 'same' up rather than down, and return zero when no window"
        " fits.",
    ]
)
def check_conv_output_size(conv_output_size):
    """Check ``conv_output_size(n, kernel, stride=1, padding="valid") -> int``."""
    require_function(conv_output_size, "conv_output_size")
    for n, k, s, padding in _SIZE_CASES:
        got = as_int(call_student(conv_output_size, n, k, s, padding),
                     f"conv_output_size({n}, {k}, {s}, {padding!r})")
        want = _output_size(n, k, s, padding)
        if got != want:
            what = (f"n={n}, kernel={k}, stride={s}, padding={padding!r}")
            if padding == "same":
                raise ExerciseFailed(f"wrong size for {what}: 'same' padding keeps "
                                     f"ceil(n / stride) cells, whatever the kernel.")
            if want == 0:
                raise ExerciseFailed(f"wrong size for {what}: the window does not fit even "
                                     f"once, so the output is empty.")
            raise ExerciseFailed(f"wrong size for {what}.")
    # The default arguments are stride 1 and "valid" padding.
    got = as_int(call_student(conv_output_size, 28, 3), "conv_output_size(28, 3)")
    expect(got == _output_size(28, 3, 1, "valid"),
           "with its defaults (stride=1, padding='valid') conv_output_size(28, 3) is wrong: "
           "give stride and padding those default values.")


def _confusion_cases():
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 10, size=200)
    y_pred = np.where(rng.random(200) < 0.8, y_true, rng.integers(0, 10, size=200))
    small_true = np.array([0, 0, 1, 2, 2, 2])
    small_pred = np.array([0, 1, 1, 2, 0, 2])
    missing_true = np.array([0, 1, 1, 3])       # class 2 never occurs, class 4 never predicted
    missing_pred = np.array([0, 1, 3, 3])
    return [(y_true, y_pred, 10), (small_true, small_pred, 3), (missing_true, missing_pred, 5)]


def _reference_confusion(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


@checker(
    hints=[
        "A confusion matrix counts, for every pair of a true class and a predicted class,"
        " how many examples fall there.",
        "Rows are the true classes and columns the predictions; a class that never occurs"
        " still gets its row and its column.",
        "Start from an integer matrix of zeros with one row and one column per class and "
        "add one at the cell of each example (a loop over the pairs, or NumPy's add.at).",
    ]
)
def check_confusion(confusion):
    """Check ``confusion(y_true, y_pred, n_classes) -> (n_classes, n_classes) counts``."""
    require_function(confusion, "confusion")
    for y_true, y_pred, n in _confusion_cases():
        got = call_student(confusion, y_true.copy(), y_pred.copy(), n)
        got = as_array(got, f"confusion(y_true, y_pred, {n})")
        expect(got.shape == (n, n),
               f"confusion(y_true, y_pred, {n}) has shape {got.shape}; expected shape "
               f"({n}, {n}), one row and one column per class.")
        want = _reference_confusion(y_true, y_pred, n)
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want.T):
            raise ExerciseFailed("rows and columns are swapped: row i must count the "
                                 "examples whose TRUE class is i.")
        expect(got.sum() == len(y_true),
               f"the counts add up to {got.sum():g}, but there are {len(y_true)} examples: "
               f"every example must be counted exactly once.")
        raise ExerciseFailed(f"the counts are wrong for {len(y_true)} examples of {n} classes.")
