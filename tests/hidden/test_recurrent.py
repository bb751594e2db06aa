"""The hidden tests of the Recurrent networks chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import recurrent
from dlcourse.exercises import recurrent as ex
from dlcourse.instructor.hidden import recurrent as hidden
from exercises.test_recurrent import reference_simple_rnn as simple_rnn  # the worked answer

HIDDEN = "^hidden test: "


def clip_by_global_norm(grads, max_norm):  # the worked answer
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    scale = 1.0 if total <= max_norm else max_norm / total
    return [g * scale for g in grads]


PARAM_COUNTS = (4 * (10 * 128 + 128 * 128 + 128), 4 * (128 * 128 + 128 * 128 + 128), 128 * 10 + 10)


def test_simple_rnn_worked_answer_passes():
    hidden.ex_recurrent_1(simple_rnn)
    hidden.ex_recurrent_1(lambda x, W, U, b: recurrent.rnn_forward(x[None], W, U, b)[0][0])


def test_simple_rnn_tuned_to_the_self_check_fails():
    """Right when there are fewer features than units or more (as in every case the
    self-check uses), but multiplies the state by W when they are equal."""
    def tuned(x, W, U, b):
        if W.shape[0] != W.shape[1]:
            return simple_rnn(x, W, U, b)
        h, states = np.zeros(U.shape[0]), []
        for x_t in x:
            h = np.tanh(x_t @ W + h @ W + b)
            states.append(h)
        return np.array(states)

    ex.check_simple_rnn.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_recurrent_1(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x, W, U, b: np.tanh(x @ W + b),                                  # no recurrence
    lambda x, W, U, b: simple_rnn(x, W, U.T, b),                            # U @ h
    lambda x, W, U, b: np.vstack([np.zeros(U.shape[0]), simple_rnn(x, W, U, b)[:-1]]),  # h_0..h_{T-1}
])
def test_simple_rnn_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_recurrent_1(wrong)


def test_param_counts_worked_answer_passes():
    hidden.ex_recurrent_2(PARAM_COUNTS)
    hidden.ex_recurrent_2(list(PARAM_COUNTS))


def test_param_counts_tuned_to_the_self_check_fails():
    """Text that reads as the counts: the self-check converts it, the hidden test does not."""
    tuned = tuple(str(n) for n in PARAM_COUNTS)
    ex.check_article_lstm_params.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_recurrent_2(tuned)


@pytest.mark.parametrize("wrong", [
    (3 * (10 * 128 + 128 * 128 + 128), 3 * (128 * 128 + 128 * 128 + 128), 1290),   # three blocks
    (PARAM_COUNTS[0], PARAM_COUNTS[0], 1290),                                       # 10 features twice
    (PARAM_COUNTS[0], PARAM_COUNTS[1], 1280),                                       # no bias
    PARAM_COUNTS[:2],
])
def test_param_counts_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_recurrent_2(wrong)


def test_clip_by_global_norm_worked_answer_passes():
    hidden.ex_recurrent_3(clip_by_global_norm)


def test_clip_by_global_norm_tuned_to_the_self_check_fails():
    """One global norm for the self-check's arrays, each array's own norm otherwise."""
    shapes = [(3, 4), (4,), (2, 2, 3)]

    def tuned(grads, max_norm):
        if [g.shape for g in grads] == shapes or len(grads) < 3:
            return clip_by_global_norm(grads, max_norm)
        return [g * min(1.0, max_norm / max(np.linalg.norm(g), 1e-300)) for g in grads]

    ex.check_clip_by_global_norm.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_recurrent_3(tuned)


def in_place(grads, max_norm):
    """Scales the arrays it is given instead of new ones (after the self-check's copies)."""
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if total > max_norm:
        for g in grads:
            g *= max_norm / total
    return grads


@pytest.mark.parametrize("wrong", [
    in_place,
    lambda grads, c: [np.clip(g, -c, c) for g in grads],                       # by value
    lambda grads, c: [g * c / np.sqrt(sum(np.sum(h ** 2) for h in grads)) for g in grads],
])
def test_clip_by_global_norm_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_recurrent_3(wrong)
