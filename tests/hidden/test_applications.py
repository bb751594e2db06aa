"""The hidden tests of the applications chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import applications as ex
from dlcourse.instructor.hidden import applications as hidden

HIDDEN = "^hidden test: "


def predict_ratings(P, Q, b_user, b_item, mu, users, items):  # the worked answer
    return mu + b_user[users] + b_item[items] + np.sum(P[users] * Q[items], axis=1)


def top_k_unseen(scores, seen, k):  # the worked answer
    masked = np.where(seen, -np.inf, scores)
    return np.argsort(-masked, axis=1)[:, :k]


def test_predict_ratings_worked_answer_passes():
    hidden.ex_applications_1(predict_ratings)


def test_predict_ratings_tuned_to_the_self_check_fails():
    """Uses at most three latent factors, the most the self-check's models have."""
    def tuned(P, Q, b_user, b_item, mu, users, items):
        return mu + b_user[users] + b_item[items] + np.sum(P[users, :3] * Q[items, :3], axis=1)

    ex.check_predict_ratings.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_applications_1(tuned)


def _in_place(P, Q, b_user, b_item, mu, users, items):
    out = b_user[users]
    b_user += mu                     # moves mu into the user biases, changing an argument
    return b_user[users] + b_item[items] + np.sum(P[users] * Q[items], axis=1) + 0 * out


@pytest.mark.parametrize("wrong", [
    _in_place,
    lambda P, Q, bu, bi, mu, u, i: mu + bu[u] + bi[i] + np.sum(P[u] * Q[u % len(Q)], axis=1),
    lambda P, Q, bu, bi, mu, u, i: mu + bu[u] + bi[i] + np.sum(P[u], axis=1) * np.sum(Q[i], axis=1),
    lambda P, Q, bu, bi, mu, u, i: np.round(predict_ratings(P, Q, bu, bi, mu, u, i), 6),
])
def test_predict_ratings_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_applications_1(wrong)


def test_top_k_unseen_worked_answer_passes():
    hidden.ex_applications_2(top_k_unseen)


def test_top_k_unseen_tuned_to_the_self_check_fails():
    """Gives seen items the score -100, below every score of the self-check, not below all scores."""
    def tuned(scores, seen, k):
        return np.argsort(-np.where(seen, -100.0, scores), axis=1)[:, :k]

    ex.check_top_k_unseen.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_applications_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda s, seen, k: np.argsort(-np.where(seen, 0.0, s), axis=1)[:, :k],            # seen -> 0
    lambda s, seen, k: np.argpartition(-np.where(seen, -np.inf, s), k - 1, axis=1)[:, :k][:, ::-1],
    lambda s, seen, k: np.argsort(np.where(seen, -np.inf, s), axis=1)[:, :k],         # worst first
    lambda s, seen, k: np.argsort(-s, axis=1)[:, :k],                                  # ignores seen
])
def test_top_k_unseen_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_applications_2(wrong)
