"""Checkers of the chapter "FAQ: deep learning basics" (``book/faq/basics.ipynb``).

Two exercises are checked: features that let a linear model separate the two moons
(the feature engineer's side of "deep learning versus machine learning"), and the
power-law fit of a learning curve. Expected values are recomputed when a checker
runs, so nothing here stores an answer a student could read.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import data
from .checking import (
    ExerciseFailed,
    as_array,
    as_float,
    call_student,
    checker,
    expect,
    require_function,
)

__all__ = ["check_moon_features", "check_fit_power_law"]


# ---------------------------------------------------------------- moon_features

#: Test accuracy the features must reach (logistic regression on x itself: about 0.87).
MOON_BAR = 0.92
#: At most this many features: enough for any polynomial idea, not a lookup table.
MAX_FEATURES = 50


def _features(moon_features, x: np.ndarray, what: str) -> np.ndarray:
    __tracebackhide__ = True
    x_in = x.copy()
    with np.errstate(all="ignore"):
        out = call_student(moon_features, x_in)
    feats = as_array(out, f"moon_features({what})")
    expect(np.array_equal(x_in, x), "moon_features must not modify the points x.")
    expect(feats.ndim == 2 and feats.shape[0] == len(x),
           f"moon_features({what}) must return one row of features per point, shape "
           f"({len(x)}, k); received shape {feats.shape}.")
    expect(1 <= feats.shape[1] <= MAX_FEATURES,
           f"moon_features must return between 1 and {MAX_FEATURES} features per point; "
           f"received {feats.shape[1]}.")
    return feats


def moon_accuracy(moon_features) -> float:
    """Test accuracy of a standardized logistic regression on ``moon_features``."""
    from sklearn.linear_model import LogisticRegression

    train, test = data.make_moons(n=300, seed=0), data.make_moons(n=1000, seed=1)
    f_train = _features(moon_features, train.x, "x_train")
    f_test = _features(moon_features, test.x, "x_test")
    expect(f_test.shape[1] == f_train.shape[1],
           "moon_features returned a different number of features for different points.")
    mean, std = f_train.mean(axis=0), f_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(max_iter=5000).fit((f_train - mean) / std, train.y)
        return float(model.score((f_test - mean) / std, test.y))


@checker(
    hints=[
        "A linear model draws a straight boundary in feature space, which can be curved "
        "in the plane if the features are not linear.",
        "The boundary between the moons bends like a low-degree polynomial: add features "
        "made of products and powers of the two coordinates.",
        "Stack, column by column, every product of powers of the two coordinates up to "
        "total degree three (NumPy's column_stack puts them side by side).",
    ]
)
def check_moon_features(moon_features):
    """Check ``moon_features(x) -> (n, k)``: a logistic regression on them beats 0.92."""
    require_function(moon_features, "moon_features")
    accuracy = moon_accuracy(moon_features)
    expect(accuracy >= MOON_BAR,
           f"a logistic regression on your features reaches a test accuracy of "
           f"{accuracy:.3f}; at least {MOON_BAR} is needed.")


# ---------------------------------------------------------------- fit_power_law


def _reference_power_law(n: np.ndarray, error: np.ndarray) -> tuple[float, float]:
    r"""Least squares in log-log coordinates: :math:`\log e = \log a - \alpha \log n`."""
    slope, intercept = np.polyfit(np.log(n), np.log(error), 1)
    return float(np.exp(intercept)), float(-slope)


def _power_law_cases():
    """(n, error, what the case tests): exact laws first, then noisy curves."""
    n = np.array([100.0, 200.0, 400.0, 800.0])
    cases = [
        (n, 2.0 * n ** -0.5, "an exact power law"),
        (np.array([30.0, 50.0, 100.0, 200.0, 400.0, 1079.0]),
         0.9 * np.array([30.0, 50.0, 100.0, 200.0, 400.0, 1079.0]) ** -0.35,
         "an exact power law at the chapter's training-set sizes"),
    ]
    rng = np.random.default_rng(2017)
    for _ in range(3):
        sizes = np.sort(rng.choice(np.arange(20, 5000), size=7, replace=False)).astype(float)
        error = rng.uniform(0.5, 5.0) * sizes ** -rng.uniform(0.2, 0.8)
        cases.append((sizes, error * np.exp(rng.normal(0.0, 0.1, size=sizes.size)),
                      "a measured (noisy) learning curve"))
    return cases


@checker(
    hints=[
        "A power law becomes a straight line when you take logarithms of both axes.",
        "Fit a straight line to the logarithm of the error against the logarithm of n by "
        "least squares.",
        "NumPy's polyfit of degree one returns the slope and the intercept of that line; "
        "the exponent is minus the slope and the prefactor is the exponential of the "
        "intercept.",
    ]
)
def check_fit_power_law(fit_power_law):
    """Check ``fit_power_law(n, error) -> (a, alpha)``, the log-log least-squares fit."""
    require_function(fit_power_law, "fit_power_law")
    for n, error, what in _power_law_cases():
        n_in, e_in = n.copy(), error.copy()
        with np.errstate(all="ignore"):
            out = call_student(fit_power_law, n_in, e_in)
        expect(isinstance(out, (tuple, list)) and len(out) == 2,
               f"fit_power_law must return a pair (a, alpha); it returned "
               f"{type(out).__name__}" + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else "")
               + ".")
        a, alpha = as_float(out[0], "a"), as_float(out[1], "alpha")
        expect(np.array_equal(n_in, n) and np.array_equal(e_in, error),
               "fit_power_law must not modify its inputs.")
        ref_a, ref_alpha = _reference_power_law(n, error)
        if np.isclose(a, ref_a, rtol=1e-6) and np.isclose(alpha, ref_alpha, rtol=1e-6):
            continue
        if np.isclose(a, ref_alpha, rtol=1e-6) and np.isclose(alpha, ref_a, rtol=1e-6):
            raise ExerciseFailed("you returned (alpha, a); return the pair in the order (a, alpha).")
        if np.isclose(alpha, -ref_alpha, rtol=1e-6):
            raise ExerciseFailed(
                f"alpha has the wrong sign for {what}: the error falls as n grows, so with "
                f"error = a * n**(-alpha) the exponent alpha is positive."
            )
        if np.isclose(alpha, ref_alpha, rtol=1e-6):
            raise ExerciseFailed(f"alpha is right but a is not, for {what}: a = exp(intercept).")
        raise ExerciseFailed(
            f"(a, alpha) is not the least-squares fit in log-log coordinates for {what}."
        )
