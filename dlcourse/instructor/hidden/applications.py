"""Hidden tests of the applications chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_applications_1(predict_ratings):
    """Each prediction recomputed pair by pair with np.dot, on models of other sizes (more
    factors, more items than users, one pair, every pair) than the self-check's."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = []
    for n_users, n_items, rank, n_pairs in [(6, 40, 7, 60), (50, 3, 5, 1), (4, 4, 4, 16), (9, 11, 2, 30)]:
        P, Q = rng.normal(size=(n_users, rank)), rng.normal(size=(n_items, rank))
        b_user, b_item = rng.normal(0, 1, n_users), rng.normal(0, 1, n_items)
        if n_pairs == n_users * n_items:   # every (user, item) pair, in a shuffled order
            order = rng.permutation(n_pairs)
            users, items = order // n_items, order % n_items
        else:
            users, items = rng.integers(0, n_users, n_pairs), rng.integers(0, n_items, n_pairs)
        cases.append((P, Q, b_user, b_item, float(rng.uniform(-1, 5)), users, items))
    for P, Q, b_user, b_item, mu, users, items in cases:
        expected = np.array([mu + b_user[u] + b_item[i] + np.dot(P[u], Q[i])
                             for u, i in zip(users.tolist(), items.tolist())])
        args = [a.copy() for a in (P, Q, b_user, b_item)] + [mu, users.copy(), items.copy()]
        got = np.asarray(predict_ratings(*args), dtype=float)
        untouched = zip(args[:4] + args[5:], (P, Q, b_user, b_item, users, items))
        assert all(np.array_equal(a, b) for a, b in untouched), \
            "hidden test: predict_ratings modifies its arguments"
        assert got.size == len(users), "hidden test: not one prediction per (user, item) pair"
        assert np.allclose(got.reshape(-1), expected, rtol=1e-10, atol=1e-10), \
            f"hidden test: wrong predictions for {P.shape[0]} users, {Q.shape[0]} items, {P.shape[1]} factors"


def ex_applications_2(top_k_unseen):
    """Checks each row directly (unseen, distinct items whose scores are the k best unseen,
    in decreasing order), on scores far below -100, a user with exactly k unseen items, k = 1."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = []
    scores = rng.normal(-500.0, 300.0, size=(6, 20))        # ratings far below zero
    seen = rng.random((6, 20)) < 0.5
    seen[:, :5] = False
    cases.append((scores, seen, 5, "scores far below zero"))
    scores = rng.normal(size=(5, 9)) * 1e3
    seen = rng.random((5, 9)) < 0.3
    seen[0] = [False, True, True, False, True, True, True, True, False]  # exactly k unseen
    seen[1] = False
    seen[2:, :3] = False
    cases.append((scores, seen, 3, "a user with exactly k unseen items"))
    scores = rng.permutation(60).reshape(3, 20).astype(float)
    seen = scores >= 40                                     # the best items are the seen ones
    seen[:, 0] = False
    cases.append((scores, seen, 1, "k = 1 with the best items seen"))
    scores = rng.normal(size=(1, 7))
    cases.append((scores, np.zeros((1, 7), dtype=bool), 7, "one user, nothing seen, k = every item"))
    for scores, seen, k, what in cases:
        got = np.asarray(top_k_unseen(scores.copy(), seen.copy(), k))
        assert got.shape == (scores.shape[0], k), f"hidden test: the result has the wrong shape for {what}"
        assert np.array_equal(got, np.round(got)) and got.min() >= 0 and got.max() < scores.shape[1], \
            f"hidden test: the result does not hold item indices for {what}"
        for u, row in enumerate(got.astype(int).tolist()):
            assert len(set(row)) == k, f"hidden test: an item is recommended twice for {what}"
            assert not seen[u, row].any(), f"hidden test: a seen item is recommended for {what}"
            best = np.sort(scores[u][~seen[u]])[::-1][:k]
            assert np.array_equal(scores[u, row], best), \
                f"hidden test: not the best unseen items, best first, for {what}"
