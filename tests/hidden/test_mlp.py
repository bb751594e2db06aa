"""The hidden tests of the multilayer-perceptron chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import mlp as ex
from dlcourse.instructor.hidden import mlp as hidden

HIDDEN = "^hidden test: "


def binary_accuracy(y_true, p):  # the worked answer
    predicted_class = np.asarray(p) > 0.5
    return float(np.mean(np.asarray(y_true) == predicted_class))


def bce_floor(y):  # the worked answer
    y = np.asarray(y, dtype=float)

    def t_log_t(t):
        safe = np.where(t > 0, t, 1.0)
        return t * np.log(safe)

    return float(-np.mean(t_log_t(y) + t_log_t(1.0 - y)))


def test_binary_accuracy_worked_answer_passes():
    hidden.ex_mlp_2(binary_accuracy)


def test_binary_accuracy_tuned_to_the_self_check_fails():
    """Probabilities rounded to two decimals first: the self-check's 0.51 and 0.49 survive,
    0.501 and 0.5 + 1e-9 do not."""
    def tuned(y_true, p):
        return binary_accuracy(y_true, np.round(np.asarray(p, dtype=float), 2))

    ex.check_binary_accuracy.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_mlp_2(tuned)


def test_binary_accuracy_right_only_on_the_self_checks_cases_fails():
    known = [(y, p) for y, p, _ in ex._accuracy_cases()]

    def tuned(y_true, p):
        if any(y.shape == y_true.shape and np.array_equal(y, y_true) and np.array_equal(q, p)
               for y, q in known):
            return binary_accuracy(y_true, p)
        return float(np.mean(np.asarray(y_true) == (np.asarray(p) >= 0.5)))

    ex.check_binary_accuracy.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_mlp_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda y, p: float(np.mean(np.asarray(y) == (np.asarray(p) >= 0.5))),       # >= 0.5
    lambda y, p: float(np.mean(np.round(y) == (np.asarray(p) > 0.5))),           # rounds targets
    lambda y, p: 100 * binary_accuracy(y, p),                                   # a percentage
    lambda y, p: np.asarray(y) == (np.asarray(p) > 0.5),                        # no mean
])
def test_binary_accuracy_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_mlp_2(wrong)


def test_bce_floor_worked_answer_passes():
    hidden.ex_mlp_3(bce_floor)


def test_bce_floor_tuned_to_the_self_check_fails():
    """Divides by len(y): the same as the mean for the self-check's (n, 1) targets only."""
    def tuned(y):
        y = np.asarray(y, dtype=float)
        safe = np.where((y > 0) & (y < 1), y, 0.5)
        h = np.where((y > 0) & (y < 1), -(safe * np.log(safe) + (1 - safe) * np.log(1 - safe)), 0.0)
        return float(h.sum() / len(y))

    ex.check_bce_floor.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_mlp_3(tuned)


def test_bce_floor_clipped_targets_fail():
    """Clipping the targets to [1e-12, 1 - 1e-12] passes the self-check (to 1e-9) but gives
    targets of exactly 0 or 1 a floor above 0."""
    def clipped(y):
        t = np.clip(np.asarray(y, dtype=float), 1e-12, 1 - 1e-12)
        return float(-np.mean(t * np.log(t) + (1 - t) * np.log(1 - t)))

    ex.check_bce_floor.__wrapped__(clipped)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_mlp_3(clipped)


@pytest.mark.parametrize("wrong", [
    lambda y: bce_floor(y) / np.log(2),                                          # bits
    lambda y: float(np.nan_to_num(-np.mean(y * np.log(y) + (1 - y) * np.log(1 - y)), nan=0.0)),
    lambda y: float(-np.mean(np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0))),  # half
])
def test_bce_floor_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        with np.errstate(all="ignore"):
            hidden.ex_mlp_3(wrong)
