"""Checkers of the chapter "Applications and tools" (``book/applications/applications.ipynb``).

The chapter's worked example is a recommender: a matrix-factorisation model that
predicts user ``u``'s rating of item ``i`` as

.. math:: \\hat r_{ui} = \\mu + b_u + b_i + p_u^\\top q_i

and recommends each user the unseen items it scores highest. The two checkers test
the two steps, prediction and recommendation. Expected values are recomputed from
the formula when a checker runs, on fixed random cases, so nothing here stores an
answer a student could read.
"""

from __future__ import annotations

import numpy as np

from .checking import ExerciseFailed, as_array, call_student, checker, expect, require_function

__all__ = ["check_predict_ratings", "check_top_k_unseen"]


# ------------------------------------------------------------ predict_ratings


def _reference_ratings(P, Q, b_user, b_item, mu, users, items) -> np.ndarray:
    r"""mu + b_u + b_i + p_u . q_i for each (user, item) pair."""
    return mu + b_user[users] + b_item[items] + np.sum(P[users] * Q[items], axis=1)


def _rating_cases():
    """(P, Q, b_user, b_item, mu, users, items, what the case tests)."""
    rng = np.random.default_rng(2009)
    cases = []
    for n_users, n_items, rank, n_pairs, what in [
        (5, 4, 2, 6, "5 users, 4 items, 2 latent factors"),
        (30, 20, 3, 50, "30 users, 20 items, 3 latent factors"),
        (8, 12, 1, 8, "a rank-1 model"),
    ]:
        cases.append((
            rng.normal(size=(n_users, rank)), rng.normal(size=(n_items, rank)),
            rng.normal(0, 0.5, n_users), rng.normal(0, 0.5, n_items), float(rng.uniform(2, 4)),
            rng.integers(0, n_users, n_pairs), rng.integers(0, n_items, n_pairs), what,
        ))
    # the same user and the same item more than once, in an order that is not sorted
    P, Q = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    cases.append((P, Q, np.zeros(3), np.zeros(3), 0.0, np.array([2, 0, 2, 1]),
                  np.array([1, 1, 0, 2]), "repeated users and items with zero biases "
                  "and mu = 0 (only the dot products remain)"))
    return cases


def _diagnose_ratings(got, P, Q, b_user, b_item, mu, users, items) -> str:
    """A hint at the usual mistake, from comparing with partial formulas."""
    dots = np.sum(P[users] * Q[items], axis=1)
    partial = {
        "the global mean mu": _reference_ratings(P, Q, b_user, b_item, 0.0, users, items),
        "the user bias b_user[u]": mu + b_item[items] + dots,
        "the item bias b_item[i]": mu + b_user[users] + dots,
        "the dot product p_u . q_i": mu + b_user[users] + b_item[items],
    }
    for missing, value in partial.items():
        if got.shape == value.shape and np.allclose(got, value, atol=1e-8):
            return f"your predictions leave out {missing}."
    outer = mu + b_user[users][:, None] + b_item[items][None, :] + P[users] @ Q[items].T
    if got.size == outer.size:
        return ("you computed every user against every item; predict one rating per "
                "(users[k], items[k]) pair: a row-wise dot product, not a matrix product.")
    return "the predicted ratings are wrong."


@checker(
    hints=[
        "A predicted rating is the global mean plus a user bias, an item bias and how "
        "well the user's factors match the item's.",
        "The match is a dot product between the user's row of P and the item's row of Q; "
        "the biases are looked up by the same indices.",
        "Fancy indexing picks the rows of every pair at once (index P by the users, Q by "
        "the items); multiply the two row blocks element by element and sum along the "
        "factor axis, then add the three offsets.",
    ]
)
def check_predict_ratings(predict_ratings):
    """Check ``predict_ratings(P, Q, b_user, b_item, mu, users, items) -> (n,) array``."""
    require_function(predict_ratings, "predict_ratings")
    for P, Q, b_user, b_item, mu, users, items, what in _rating_cases():
        args = [a.copy() for a in (P, Q, b_user, b_item)] + [mu, users.copy(), items.copy()]
        out = call_student(predict_ratings, *args)
        got = as_array(out, "predict_ratings(...)")
        expected = _reference_ratings(P, Q, b_user, b_item, mu, users, items)
        if got.shape != expected.shape and got.size == expected.size:
            got = got.reshape(expected.shape)  # a column (n, 1) is fine
        if got.shape != expected.shape or not np.allclose(got, expected, atol=1e-8):
            raise ExerciseFailed(
                f"for {what} ({len(users)} pairs): "
                + _diagnose_ratings(got, P, Q, b_user, b_item, mu, users, items)
            )
        expect(all(np.array_equal(a, b) for a, b in zip(args, (P, Q, b_user, b_item))),
               "predict_ratings must not modify its arguments.")


# --------------------------------------------------------------- top_k_unseen


def _reference_top_k(scores: np.ndarray, seen: np.ndarray, k: int) -> np.ndarray:
    masked = np.where(seen, -np.inf, scores)
    return np.argsort(-masked, axis=1, kind="stable")[:, :k]


def _top_k_cases():
    """(scores, seen, k, what the case tests); scores have no ties."""
    rng = np.random.default_rng(2016)
    cases = []
    scores = rng.permutation(24).reshape(4, 6) / 10.0
    seen = np.zeros((4, 6), dtype=bool)
    cases.append((scores, seen, 2, "4 users, 6 items, nothing seen yet, k = 2"))
    seen = rng.random((4, 6)) < 0.4
    seen[0] = [True, True, False, True, False, False]
    cases.append((scores, seen, 3, "4 users, 6 items, some seen, k = 3"))
    scores = rng.normal(size=(10, 15))
    seen = rng.random((10, 15)) < 0.5
    seen[:, :3] = False  # at least 3 unseen items per user
    cases.append((scores, seen, 3, "10 users, 15 items, about half seen, k = 3"))
    # the best-scored items are the seen ones: they must be skipped, not returned
    scores = np.tile(np.arange(8, 0, -1, dtype=float), (3, 1)) + rng.normal(0, 0.01, (3, 8))
    seen = np.zeros((3, 8), dtype=bool)
    seen[:, :4] = True
    cases.append((scores, seen, 4, "users who have seen exactly their 4 best-scored items"))
    cases.append((scores, seen, 1, "the same users, k = 1"))
    return cases


@checker(
    hints=[
        "Items the user has already seen must never be recommended, whatever their score.",
        "Mask the seen items so that they sort after every unseen one, then sort each "
        "user's row by score.",
        "Replace the scores of seen items by minus infinity, sort each row from the "
        "highest score down (NumPy's argsort sorts upwards: reverse it or negate the "
        "scores) and keep the first k columns.",
    ]
)
def check_top_k_unseen(top_k_unseen):
    """Check ``top_k_unseen(scores, seen, k) -> (n_users, k) item indices, best first``."""
    require_function(top_k_unseen, "top_k_unseen")
    for scores, seen, k, what in _top_k_cases():
        out = call_student(top_k_unseen, scores.copy(), seen.copy(), k)
        got = as_array(out, "top_k_unseen(scores, seen, k)")
        expected = _reference_top_k(scores, seen, k)
        expect(got.shape == expected.shape,
               f"for {what}: the result has shape {got.shape}; it should have one row per "
               f"user and k columns, {expected.shape}.")
        expect(np.array_equal(got, np.round(got)) and got.min() >= 0
               and got.max() < scores.shape[1],
               f"for {what}: the result must hold item indices, whole numbers from 0 to "
               f"{scores.shape[1] - 1}, not scores.")
        got = got.astype(int)
        rows = np.arange(len(got))[:, None]
        expect(not seen[rows, got].any(),
               f"for {what}: you recommend items the user has already seen.")
        if not np.array_equal(got, expected):
            same_sets = all(set(g) == set(e) for g, e in zip(got.tolist(), expected.tolist()))
            raise ExerciseFailed(
                f"for {what}: "
                + ("you pick the right items but not in order, best first."
                   if same_sets else "some users get items that are not their best unseen ones.")
            )
