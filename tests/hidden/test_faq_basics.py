"""The hidden tests of the FAQ chapter on basics catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import data
from dlcourse.exercises import faq_basics as ex
from dlcourse.instructor.hidden import faq_basics as hidden

HIDDEN = "^hidden test: "


def moon_features(x):  # the worked answer
    x1, x2 = x[:, 0], x[:, 1]
    return np.column_stack([x1, x2, x1**2, x1 * x2, x2**2,
                            x1**3, x1**2 * x2, x1 * x2**2, x2**3])


def test_moon_features_worked_answer_passes():
    hidden.ex_basics_2(moon_features)


def test_moon_features_that_look_up_the_self_checks_points_fail():
    """Returns the label as a feature for the self-check's exact points, raw coordinates
    for any other point: a lookup table, not a feature map."""
    labels = {}
    for d in (data.make_moons(n=300, seed=0), data.make_moons(n=1000, seed=1)):
        labels.update({row.tobytes(): float(y) for row, y in zip(d.x, d.y)})

    def tuned(x):
        known = np.array([labels.get(row.tobytes(), 0.5) for row in x])
        return np.column_stack([x, known])

    ex.check_moon_features.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_basics_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x: x,                                                        # raw coordinates
    lambda x: np.column_stack([x, x**2]),                               # no cross or cubic terms
    lambda x: moon_features(np.sort(x, axis=0)),                        # depends on the batch
])
def test_moon_features_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_basics_2(wrong)


def fit_power_law(n, error):  # the worked answer
    slope, intercept = np.polyfit(np.log(n), np.log(error), 1)
    return np.exp(intercept), -slope


def test_fit_power_law_worked_answer_passes():
    hidden.ex_basics_3(fit_power_law)


def test_fit_power_law_tuned_to_the_self_check_fails():
    """Fits by least squares only for the self-check's curve lengths (4, 6, 7 points);
    through the first and last points otherwise."""
    def tuned(n, error):
        if len(n) in (4, 6, 7):
            return fit_power_law(n, error)
        n, error = np.asarray(n, dtype=float), np.asarray(error, dtype=float)
        i, j = np.argmin(n), np.argmax(n)
        alpha = -np.log(error[j] / error[i]) / np.log(n[j] / n[i])
        return error[i] * n[i] ** alpha, alpha

    ex.check_fit_power_law.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_basics_3(tuned)


@pytest.mark.parametrize("wrong", [
    lambda n, e: (10 ** np.polyfit(np.log10(n), np.log(e), 1)[1], -np.polyfit(np.log10(n), np.log(e), 1)[0]),
    lambda n, e: (np.exp(np.polyfit(np.log(n), np.log(e), 1)[1]), np.polyfit(np.log(n), np.log(e), 1)[0]),
    lambda n, e: fit_power_law(np.sort(n), e),                          # sorts n, not the pairs
])
def test_fit_power_law_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_basics_3(wrong)
