"""Checkers of the chapter on data preparation and initialization
(``book/core/data_preparation.ipynb``).

Expected values are recomputed when a checker runs (standardization from its formula,
one-hot vectors from the identity matrix), so nothing here stores an answer a student
could read.
"""

from __future__ import annotations

import numpy as np

from .checking import ExerciseFailed, as_array, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_standardize", "check_one_hot"]


# --------------------------------------------------------------------------- standardize


def _standardize_cases():
    """(x_train, x_other, what the case tests)."""
    rng = np.random.default_rng(14)
    with_constant = rng.normal(3.0, 2.0, size=(20, 4))
    with_constant[:, 2] = 5.0
    return [
        (rng.normal(10.0, 4.0, size=(30, 3)), rng.normal(10.0, 4.0, size=(8, 3)),
         "30 training rows and 8 other rows of 3 features"),
        (rng.uniform(0, 16, size=(12, 5)), rng.uniform(0, 16, size=(12, 5)) + 2.0,
         "other rows with a different mean (they must not be recentred on their own mean)"),
        (with_constant, rng.normal(3.0, 2.0, size=(6, 4)),
         "a feature that is constant in the training rows"),
    ]


def _standardized(x_train, x_other):
    mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (x_train - mu) / sigma, (x_other - mu) / sigma


@checker(
    hints=[
        "Standardizing centres each feature and scales it to unit spread, using statistics "
        "learnt from the training rows alone.",
        "Take the mean and the standard deviation of every feature (column) of x_train "
        "only, and use those same statistics for both inputs: the other rows must not "
        "reveal anything about themselves.",
        "Subtract the training mean and divide by the training standard deviation; a "
        "feature that is constant in training has no spread, so divide it by one instead.",
    ]
)
def check_standardize(standardize):
    """Check ``standardize(x_train, x_other) -> (z_train, z_other)``."""
    _require_function(standardize, "standardize")
    for x_train, x_other, what in _standardize_cases():
        a, b = x_train.copy(), x_other.copy()
        out = _call(standardize, a, b)
        expect(isinstance(out, (tuple, list)) and len(out) == 2,
               "standardize should return a pair (z_train, z_other).")
        expect(np.array_equal(a, x_train) and np.array_equal(b, x_other),
               "standardize must not modify its inputs.")
        z_train = as_array(out[0], "z_train", shape=x_train.shape)
        z_other = as_array(out[1], "z_other", shape=x_other.shape)
        want_train, want_other = _standardized(x_train, x_other)
        expect(np.allclose(z_train, want_train, atol=1e-9),
               f"z_train has the wrong values for {what}.")
        if np.allclose(z_other, _standardized(x_other, x_other)[0], atol=1e-9):
            raise ExerciseFailed(
                f"z_other was standardized with its own mean and standard deviation for "
                f"{what}; it must use the training statistics (that is the leak).")
        expect(np.allclose(z_other, want_other, atol=1e-9),
               f"z_other has the wrong values for {what}.")


# ------------------------------------------------------------------------------ one_hot


@checker(
    hints=[
        "One-hot coding turns each label into a row of zeros with a single one.",
        "The result has one row per label and one column per class; the one sits in the "
        "column of that row's label.",
        "Start from a float matrix of zeros and set one entry per row with fancy indexing "
        "(the row numbers together with the labels), or pick rows of an identity matrix.",
    ]
)
def check_one_hot(one_hot):
    """Check ``one_hot(y, n_classes)`` against the rows of the identity matrix."""
    _require_function(one_hot, "one_hot")
    cases = [
        (np.array([0, 2, 1, 2]), 3, "labels [0, 2, 1, 2] with 3 classes"),
        (np.array([9, 0, 7]), 10, "digits with 10 classes"),
        (np.array([1, 1]), 4, "labels that leave some classes unused"),
    ]
    for y, k, what in cases:
        y_in = y.copy()
        out = as_array(_call(one_hot, y_in, k), f"one_hot(y, {k})", shape=(len(y), k))
        expect(np.array_equal(y_in, y), "one_hot must not modify y.")
        expect(np.all((out == 0) | (out == 1)), f"one_hot(y, {k}) holds values other than 0 "
                                                f"and 1 for {what}.")
        expect(np.all(out.sum(axis=1) == 1), f"a row of one_hot(y, {k}) does not hold exactly "
                                             f"one 1 for {what}.")
        expect(np.array_equal(out, np.eye(k)[y]), f"the 1s are in the wrong columns for {what}.")
