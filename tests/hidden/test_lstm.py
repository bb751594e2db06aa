"""The hidden tests of the LSTM chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import lstm as ex
from dlcourse.instructor.hidden import lstm as hidden

HIDDEN = "^hidden test: "


def recurrent_params(kind, units, features):  # the worked answer
    block = units * (units + features) + units
    if kind == "SimpleRNN":
        return block
    if kind == "GRU":
        return 3 * (block + units)
    if kind == "LSTM":
        return 4 * block
    raise ValueError(f"unknown kind {kind!r}")


def one_hot(labels, n_classes):  # the worked answer
    labels = np.asarray(labels)
    out = np.zeros((len(labels), n_classes))
    out[np.arange(len(labels)), labels] = 1.0
    return out


def test_recurrent_params_worked_answer_passes():
    hidden.ex_lstm_2(recurrent_params)


def test_recurrent_params_tuned_to_the_self_check_fails():
    """Right for the self-check's sizes; the GRU's second bias forgotten elsewhere."""
    def tuned(kind, units, features):
        if kind == "GRU" and (units, features) not in ex._PARAM_CASES:
            return 3 * (units * (units + features) + units)
        return recurrent_params(kind, units, features)

    ex.check_recurrent_params.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_lstm_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda kind, h, d: {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}[kind] * (h * (h + d) + h),
    lambda kind, h, d: recurrent_params(kind, h, d) - {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}[kind] * h * h,
    lambda kind, h, d: recurrent_params({"GRU": "LSTM", "LSTM": "GRU"}.get(kind, kind), h, d),
])
def test_recurrent_params_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_lstm_2(wrong)


def test_one_hot_worked_answer_passes():
    hidden.ex_lstm_3(one_hot)
    hidden.ex_lstm_3(lambda labels, n: np.eye(n)[labels])


def test_one_hot_tuned_to_the_self_check_fails():
    """Rows of a 10 by 10 identity, cut to n_classes: right as long as n_classes <= 10."""
    def tuned(labels, n_classes):
        return np.eye(10)[labels][:, :n_classes]

    ex.check_one_hot.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_lstm_3(tuned)


@pytest.mark.parametrize("wrong", [
    lambda labels, n: np.eye(int(np.max(labels)) + 1)[labels],              # classes seen only
    lambda labels, n: np.eye(n)[labels].T,
    lambda labels, n: np.eye(n)[np.sort(labels)],
])
def test_one_hot_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_lstm_3(wrong)
