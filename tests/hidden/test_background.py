"""The hidden tests of the Background chapter catch wrong answers the self-check passes."""

from collections import Counter

import numpy as np
import pytest

from dlcourse import milestones
from dlcourse.exercises import background as ex
from dlcourse.instructor.hidden import background as hidden

HIDDEN = "^hidden test: "


def perceptron_update(w, b, x, y, learning_rate=1.0):  # the worked answer
    y_hat = 1 if w @ x + b > 0 else 0
    error = y - y_hat
    return w + learning_rate * error * x, b + learning_rate * error


def test_perceptron_update_worked_answer_passes():
    hidden.ex_background_2(perceptron_update)


def test_perceptron_update_tuned_to_the_self_check_fails():
    """Right for the 2 and 3 features the self-check uses, forgets the rate otherwise."""
    def tuned(w, b, x, y, learning_rate=1.0):
        lr = learning_rate if len(x) in (2, 3) else 1.0
        return perceptron_update(w, b, x, y, lr)

    ex.check_perceptron_update.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_background_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda w, b, x, y, lr=1.0: (w - lr * (y - (w @ x + b > 0)) * x, b - lr * (y - (w @ x + b > 0))),
    lambda w, b, x, y, lr=1.0: (w + lr * (y - (w @ x + b > 0)) * x, b),   # bias never moves
])
def test_perceptron_update_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_background_2(wrong)


XOR = (np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]), np.array([[1.0], [1.0]]), -1.5)


def test_xor_network_worked_answer_passes():
    hidden.ex_background_3(XOR)


@pytest.mark.parametrize("wrong", [
    (XOR[0], XOR[1], XOR[2], -0.5),                              # OR, not XOR
    (XOR[0], np.array([-1.5, 1.5]), XOR[2], -1.5),               # AND and NAND: never on
])
def test_xor_network_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_background_3(wrong)


def test_xor_network_at_the_step_threshold_is_read_with_h0_equal_0():
    """The self-check and the hidden test agree on H(0) = 0: an output unit that sits at
    exactly 0 on (1, 1) is off for both."""
    W1, b1, W2, _ = XOR
    edge = (W1, b1, W2, -1.0)  # (0,0): h=(0,1) -> 0; (1,1): h=(1,0) -> 0; (0,1): h=(1,1) -> 1
    ex.check_xor_network.__wrapped__(edge)
    hidden.ex_background_3(edge)


def counts():  # the worked answer
    out = {}
    for m in milestones.MILESTONES:
        out[m.year // 10 * 10] = out.get(m.year // 10 * 10, 0) + 1
    return out


def test_milestones_per_decade_worked_answer_passes():
    hidden.ex_background_4(counts())


@pytest.mark.parametrize("wrong", [
    {k + 10: v for k, v in counts().items()},                             # decades shifted
    dict(Counter(m.year // 100 * 100 for m in milestones.MILESTONES)),    # centuries
    {**counts(), min(counts()): counts()[min(counts())] + 1},             # one count off
])
def test_milestones_per_decade_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_background_4(wrong)
