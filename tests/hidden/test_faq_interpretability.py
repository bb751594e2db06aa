"""The hidden tests of the FAQ chapter on interpretability catch wrong answers the
self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import faq_interpretability as ex
from dlcourse.instructor.hidden import faq_interpretability as hidden
from exercises.test_faq_interpretability import linear_saliency, fidelity  # the worked answers

HIDDEN = "^hidden test: "


def test_linear_saliency_worked_answer_passes():
    hidden.ex_interpretability_2(linear_saliency)


def test_linear_saliency_tuned_to_the_self_check_fails():
    """Right for the classes the self-check asks (0, 3, 9); the row-major order of a
    transposed image for the others."""
    def tuned(W, c):
        m = linear_saliency(W, c)
        return m if c in (0, 3, 9) else m.T

    ex.check_linear_saliency.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_interpretability_2(tuned)


def test_linear_saliency_that_ignores_W_fails():
    """Returns the self-check's own weights, whatever W it is given."""
    stored = np.random.default_rng(11).normal(size=(64, 10))

    def tuned(W, c):
        return linear_saliency(stored, c)

    ex.check_linear_saliency.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_interpretability_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda W, c: np.asarray(W)[:, c].reshape(8, 8),                      # signed, not a magnitude
    lambda W, c: np.abs(np.asarray(W)[:, c]).reshape(8, 8, order="F"),   # column-major pixels
    lambda W, c: np.asarray(W)[:, c].reshape(8, 8) ** 2,                 # squared gradient
])
def test_linear_saliency_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_interpretability_2(wrong)


def test_fidelity_worked_answer_passes():
    hidden.ex_interpretability_3(fidelity)


def test_fidelity_that_divides_by_the_self_checks_length_fails():
    """Counts the agreements and divides by 200, the length of the self-check's arrays."""
    def tuned(surrogate_pred, model_pred):
        return float(np.sum(np.asarray(surrogate_pred) == np.asarray(model_pred)) / 200)

    ex.check_fidelity.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_interpretability_3(tuned)


@pytest.mark.parametrize("wrong", [
    lambda s, m: float(np.mean(np.asarray(s) != np.asarray(m))),           # disagreement
    lambda s, m: float(np.sum(np.asarray(s) == np.asarray(m))),            # a count
    lambda s, m: float(np.mean(np.abs(np.asarray(s, dtype=float) - np.asarray(m, dtype=float)) < 0.5)
                       if np.asarray(s).dtype.kind in "iub" else 1.0),     # numbers only
])
def test_fidelity_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_interpretability_3(wrong)
