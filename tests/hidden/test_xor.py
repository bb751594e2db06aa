"""The hidden tests of the XOR chapter catch wrong answers the self-check passes."""

import itertools

import numpy as np
import pytest

from dlcourse.exercises import xor as ex
from dlcourse.instructor.hidden import xor as hidden

HIDDEN = "^hidden test: "

WEIGHTS = (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]),
           np.array([[1.0], [-2.0]]), 0.0)  # the worked answer


def _best_margin(labels):
    """A stand-in for the chapter's best_margin: > 0 iff a line separates the labelling."""
    rows = np.array(list(itertools.product((0, 1), repeat=2)), dtype=float)
    sign = 2 * np.array(labels) - 1
    best = -np.inf
    for w1, w2 in itertools.product(np.linspace(-2, 2, 9), repeat=2):
        for b in np.linspace(-2.25, 2.25, 10):
            best = max(best, float(np.min(sign * (rows @ [w1, w2] + b))))
    return best


def test_xor_weights_worked_answer_passes():
    hidden.ex_xor_2(WEIGHTS)
    hidden.ex_xor_2([np.array([[2.0, 1.0], [2.0, 1.0]]), np.array([[0.0, -1.0]]),
                     np.array([0.5, -2.0]), np.array([0.0])])  # other shapes the statement allows


def test_xor_weights_tuned_to_the_self_check_fails():
    """Weights fitted to 1e-6, which the self-check accepts, not exact as the statement asks."""
    W1, b1, W2, b2 = WEIGHTS
    tuned = (W1, b1, np.array([[1.0], [-2.0 + 6e-7]]), 2e-7)
    ex.check_xor_weights.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_xor_2(tuned)


@pytest.mark.parametrize("wrong", [
    (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]), np.array([[1.0], [-1.0]]), 0.0),
    (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0]), np.array([[1.0], [-2.0]]), 0.0),
    (np.eye(2), np.zeros(2), np.ones((2, 1)), 0.0),                       # OR
    (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[1.0], [-2.0]])),  # three arrays
])
def test_xor_weights_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_xor_2(wrong)


def test_n_separable_worked_answer_passes():
    n_separable = sum(_best_margin(labels) > 1e-9 for labels in itertools.product((0, 1), repeat=4))
    hidden.ex_xor_4(n_separable)
    hidden.ex_xor_4(float(n_separable))


def test_n_separable_tuned_to_the_self_check_fails():
    """The number as text: the self-check converts it, but it is not a number."""
    n = sum(_best_margin(labels) > 1e-9 for labels in itertools.product((0, 1), repeat=4))
    ex.check_n_separable.__wrapped__(str(n))
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_xor_4(str(n))


@pytest.mark.parametrize("wrong", [16, 13, 15, 8, True])
def test_n_separable_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_xor_4(wrong)
