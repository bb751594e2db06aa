"""Checkers of the Applications chapter: the reference answers pass; placeholders, wrong
types, wrong shapes and wrong values fail with ExerciseFailed (never another exception),
and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import applications as ex

from .helpers import JUNK, fails

# ----------------------------------------------------------------------------- answers


def predict_ratings(P, Q, b_user, b_item, mu, users, items):
    """The answer of the prediction exercise, written independently of the checker."""
    return mu + b_user[users] + b_item[items] + np.einsum("kr,kr->k", P[users], Q[items])


def top_k_unseen(scores, seen, k):
    """The answer of the recommendation exercise: a loop, unlike the checker's reference."""
    out = []
    for row, mask in zip(scores, seen):
        order = sorted((i for i in range(len(row)) if not mask[i]), key=lambda i: -row[i])
        out.append(order[:k])
    return np.array(out)


# ----------------------------------------------------------------------------- passes


def test_reference_predict_ratings_passes(capsys):
    assert ex.check_predict_ratings(predict_ratings) is None
    assert capsys.readouterr().out.strip() == "\u2713 predict_ratings: Correct!"


def test_predict_ratings_may_return_a_column_or_a_list():
    assert ex.check_predict_ratings(lambda *a: predict_ratings(*a)[:, None]) is None
    assert ex.check_predict_ratings(lambda *a: list(predict_ratings(*a))) is None


def test_reference_top_k_passes(capsys):
    assert ex.check_top_k_unseen(top_k_unseen) is None
    assert capsys.readouterr().out.strip() == "\u2713 top_k_unseen: Correct!"


def test_vectorised_top_k_passes():
    def vectorised(scores, seen, k):
        return np.argsort(np.where(seen, -np.inf, scores), axis=1)[:, ::-1][:, :k]

    assert ex.check_top_k_unseen(vectorised) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_predict_ratings, ex.check_top_k_unseen]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_stub_fails_naming_not_implemented(check):
    def stub(*args):
        raise NotImplementedError

    assert "NotImplementedError" in fails(check, stub)


# predict_ratings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda P, Q, bu, bi, mu, u, i: bu[u] + bi[i] + np.sum(P[u] * Q[i], axis=1),
         "the global mean mu"),
        (lambda P, Q, bu, bi, mu, u, i: mu + bi[i] + np.sum(P[u] * Q[i], axis=1),
         "the user bias"),
        (lambda P, Q, bu, bi, mu, u, i: mu + bu[u] + np.sum(P[u] * Q[i], axis=1),
         "the item bias"),
        (lambda P, Q, bu, bi, mu, u, i: mu + bu[u] + bi[i], "the dot product"),
        (lambda P, Q, bu, bi, mu, u, i: mu + bu[u][:, None] + bi[i][None, :] + P[u] @ Q[i].T,
         "row-wise dot product"),
        (lambda P, Q, bu, bi, mu, u, i: mu + bu[i % len(bu)] + bi[u % len(bi)]
         + np.sum(P[u] * Q[i], axis=1), "wrong"),
    ],
)
def test_predict_ratings_wrong_values_are_diagnosed(wrong, words):
    message = fails(ex.check_predict_ratings, wrong)
    assert words in message
    assert not re.search(r"\d\.\d", message)  # no expected rating is shown


def test_predict_ratings_wrong_shape_or_type_fails():
    fails(ex.check_predict_ratings, lambda *a: predict_ratings(*a)[:-1])
    fails(ex.check_predict_ratings, lambda *a: "ratings")
    fails(ex.check_predict_ratings, lambda *a: None)
    fails(ex.check_predict_ratings, lambda P, Q: P)  # wrong signature


def test_predict_ratings_that_modifies_its_input_fails():
    def mutates(P, Q, bu, bi, mu, u, i):
        out = predict_ratings(P, Q, bu, bi, mu, u, i)
        P *= 0
        return out

    assert "must not modify" in fails(ex.check_predict_ratings, mutates)


def test_passing_the_result_instead_of_the_function_fails():
    assert "function itself" in fails(ex.check_predict_ratings, np.zeros(3))


# top_k_unseen ------------------------------------------------------------------------


def test_top_k_that_ignores_seen_items_fails():
    message = fails(ex.check_top_k_unseen,
                    lambda scores, seen, k: np.argsort(-scores, axis=1)[:, :k])
    assert "already seen" in message


def test_top_k_in_the_wrong_order_fails():
    message = fails(ex.check_top_k_unseen,
                    lambda s, seen, k: top_k_unseen(s, seen, k)[:, ::-1])
    assert "not in order" in message


def test_top_k_worst_items_fails():
    def worst(scores, seen, k):
        return top_k_unseen(-scores, seen, k)

    assert "not their best unseen ones" in fails(ex.check_top_k_unseen, worst)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda s, seen, k: top_k_unseen(s, seen, k)[:, :1], "shape"),
        (lambda s, seen, k: top_k_unseen(s, seen, k).T, "shape"),
        (lambda s, seen, k: np.sort(s, axis=1)[:, ::-1][:, :k], "item indices"),
        (lambda s, seen, k: top_k_unseen(s, seen, k) + s.shape[1], "item indices"),
    ],
)
def test_top_k_wrong_shape_or_content_fails(wrong, words):
    assert words in fails(ex.check_top_k_unseen, wrong)


def test_top_k_message_does_not_list_the_expected_items():
    message = fails(ex.check_top_k_unseen, lambda s, seen, k: top_k_unseen(-s, seen, k))
    assert not re.search(r"\[\s*\d", message)  # no list of item indices
