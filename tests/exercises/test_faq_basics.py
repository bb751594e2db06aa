"""Checkers of the chapter "FAQ: deep learning basics": the reference answers pass;
placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed (never
another exception), and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.preprocessing import PolynomialFeatures

from dlcourse import data
from dlcourse.exercises import faq_basics as ex

from .helpers import JUNK, fails

# ----------------------------------------------------------------------- moon_features


def cubic_features(x):
    """The chapter's answer: every monomial of degree 1 to 3."""
    x1, x2 = x[:, 0], x[:, 1]
    return np.column_stack([x1, x2, x1**2, x1 * x2, x2**2,
                            x1**3, x1**2 * x2, x1 * x2**2, x2**3])


def sklearn_polynomial(x):
    return PolynomialFeatures(degree=5).fit_transform(x)


def test_moon_reference_passes(capsys):
    assert ex.check_moon_features(cubic_features) is None
    assert capsys.readouterr().out.strip() == "\u2713 moon_features: Correct!"


def test_moon_other_features_pass():
    # scikit-learn's degree-5 polynomial (with a constant column, which has zero variance)
    assert ex.check_moon_features(sklearn_polynomial) is None


def test_moon_features_are_scored_on_new_points():
    """The bar sits between the raw coordinates and the cubic features."""
    assert ex.moon_accuracy(lambda x: x) < ex.MOON_BAR <= ex.moon_accuracy(cubic_features)


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_moon_junk_fails_cleanly(answer):
    fails(ex.check_moon_features, answer)


def test_moon_raw_or_quadratic_features_fail_with_their_own_accuracy():
    message = fails(ex.check_moon_features, lambda x: x)
    assert "0.868" in message and f"at least {ex.MOON_BAR}" in message
    quadratic = lambda x: np.column_stack([x, x**2, x[:, :1] * x[:, 1:]])
    assert "test accuracy" in fails(ex.check_moon_features, quadratic)


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda x: x[:, 0], "shape (300, k)"),                      # 1-D
        (lambda x: x[:10], "one row of features per point"),       # wrong number of rows
        (lambda x: np.repeat(x, 30, axis=1), "between 1 and 50"),   # too many features
        (lambda x: np.log(x), "NaN or infinity"),                   # log of negatives
        (lambda x: np.column_stack([x] * (1 + (len(x) > 300))), "different number of features"),
        (lambda x: "features", "array of numbers"),
    ],
)
def test_moon_wrong_shapes_and_types_say_what_is_wrong(answer, words):
    assert words in fails(ex.check_moon_features, answer)


def test_moon_function_that_raises_or_mutates_fails():
    def raises(x):
        raise NotImplementedError

    def mutates(x):
        x *= 2
        return cubic_features(x)

    assert "NotImplementedError" in fails(ex.check_moon_features, raises)
    assert "must not modify" in fails(ex.check_moon_features, mutates)


def test_moon_result_instead_of_function_fails():
    features = cubic_features(data.make_moons(n=300, seed=0).x)
    assert "function itself" in fails(ex.check_moon_features, features)


# ----------------------------------------------------------------------- fit_power_law


def reference_fit(n, error):
    slope, intercept = np.polyfit(np.log(n), np.log(error), 1)
    return np.exp(intercept), -slope


def lstsq_fit(n, error):
    """Another correct answer: the normal equations by np.linalg.lstsq."""
    design = np.column_stack([np.ones(len(n)), -np.log(n)])
    (log_a, alpha), *_ = np.linalg.lstsq(design, np.log(error), rcond=None)
    return float(np.exp(log_a)), float(alpha)


@pytest.mark.parametrize("answer", [reference_fit, lstsq_fit], ids=["polyfit", "lstsq"])
def test_power_law_correct_answers_pass(answer, capsys):
    assert ex.check_fit_power_law(answer) is None
    assert capsys.readouterr().out.strip() == "\u2713 fit_power_law: Correct!"


def test_power_law_reference_recovers_an_exact_law():
    n = np.array([10.0, 100.0, 1000.0])
    a, alpha = ex._reference_power_law(n, 3.0 * n ** -0.4)
    assert np.isclose(a, 3.0, rtol=1e-12) and np.isclose(alpha, 0.4, rtol=1e-12)


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_power_law_junk_fails_cleanly(answer):
    fails(ex.check_fit_power_law, answer)


def test_power_law_common_mistakes_are_named():
    assert "order (a, alpha)" in fails(ex.check_fit_power_law,
                                       lambda n, e: reference_fit(n, e)[::-1])
    assert "wrong sign" in fails(ex.check_fit_power_law,
                                 lambda n, e: (reference_fit(n, e)[0], -reference_fit(n, e)[1]))
    assert "a = exp(intercept)" in fails(
        ex.check_fit_power_law, lambda n, e: (np.log(reference_fit(n, e)[0]), reference_fit(n, e)[1]))


def test_power_law_fit_in_linear_space_fails_without_the_answer():
    def linear_space(n, error):            # least squares on the errors themselves
        from scipy.optimize import curve_fit
        (a, alpha), _ = curve_fit(lambda n, a, alpha: a * n ** -alpha, n, error, p0=(1.0, 0.5))
        return a, alpha

    message = fails(ex.check_fit_power_law, linear_space)
    assert "log-log" in message
    # no number of the expected fit appears in the message
    assert not re.search(r"\d\.\d{2,}", message)


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda n, e: 1.0, "pair (a, alpha)"),
        (lambda n, e: (1.0, 2.0, 3.0), "of length 3"),
        (lambda n, e: ("a", "alpha"), "should be a number"),
        (lambda n, e: (np.nan, 0.5), "division by zero or an overflow"),
        (lambda n, e: (np.ones(2), 0.5), "single number"),
    ],
)
def test_power_law_wrong_types_say_what_is_wrong(answer, words):
    assert words in fails(ex.check_fit_power_law, answer)


def test_power_law_function_that_mutates_or_raises_fails():
    def mutates(n, error):
        result = reference_fit(n, error)
        n[:] = 0
        return result

    assert "must not modify" in fails(ex.check_fit_power_law, mutates)
    assert "ZeroDivisionError" in fails(ex.check_fit_power_law, lambda n, e: 1 / 0)
