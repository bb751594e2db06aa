"""Hidden tests of the FAQ chapter on deep-learning basics (see :mod:`dlcourse.instructor.hidden`)."""


def ex_basics_2(moon_features):
    """A standardized logistic regression on the features, trained and scored on moons the
    self-check never draws; the features of a point must not depend on the rest of the batch."""
    import warnings

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from dlcourse import data

    accuracies = []
    for seed in (101, 102, 103):
        train, test = data.make_moons(n=300, seed=seed), data.make_moons(n=2000, seed=seed + 50)
        with np.errstate(all="ignore"):
            f_train = np.asarray(moon_features(train.x.copy()), dtype=float)
            f_test = np.asarray(moon_features(test.x.copy()), dtype=float)
        assert f_train.ndim == 2 and f_train.shape[0] == len(train.x) \
            and f_test.shape == (len(test.x), f_train.shape[1]), \
            "hidden test: moon_features does not return one row of features per point"
        assert 1 <= f_train.shape[1] <= 50, "hidden test: moon_features returns too many features"
        assert np.all(np.isfinite(f_train)) and np.all(np.isfinite(f_test)), \
            "hidden test: moon_features returns NaN or infinity on new points"
        mean, std = f_train.mean(axis=0), f_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = LogisticRegression(max_iter=5000).fit((f_train - mean) / std, train.y)
            accuracies.append(model.score((f_test - mean) / std, test.y))
    assert np.mean(accuracies) >= 0.905, \
        "hidden test: on new draws of the moons a logistic regression on the features scores too low"

    x = data.make_moons(n=40, seed=104).x
    perm = np.random.default_rng(20261207).permutation(len(x))
    with np.errstate(all="ignore"):
        whole = np.asarray(moon_features(x.copy()), dtype=float)
        shuffled = np.asarray(moon_features(x[perm].copy()), dtype=float)
    assert shuffled.shape == whole.shape and np.allclose(shuffled, whole[perm], rtol=1e-6, atol=1e-9), \
        "hidden test: the features of a point change with the order of the other points"


def ex_basics_3(fit_power_law):
    """The least-squares line in log-log coordinates, written out as covariance over
    variance, on sizes and errors the self-check never uses (two points, unsorted, ints)."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [(np.array([10.0, 1000.0]), 3.0 * np.array([10.0, 1000.0]) ** -0.7)]
    for size in (3, 5, 9, 12):
        n = rng.choice(np.arange(10, 20000), size=size, replace=False).astype(float)
        error = rng.uniform(0.2, 8.0) * n ** -rng.uniform(0.1, 1.2)
        cases.append((n, error * np.exp(rng.normal(0.0, 0.2, size=size))))
    n = np.array([50, 400, 100, 3200, 800])  # integer sizes, not sorted
    cases.append((n, 1.5 * n ** -0.4 * np.exp(rng.normal(0.0, 0.1, size=5))))
    for n, error in cases:
        u, v = np.log(n.astype(float)), np.log(error)
        slope = np.sum((u - u.mean()) * (v - v.mean())) / np.sum((u - u.mean()) ** 2)
        want_a, want_alpha = np.exp(v.mean() - slope * u.mean()), -slope
        with np.errstate(all="ignore"):
            out = fit_power_law(n.copy(), error.copy())
        assert isinstance(out, (tuple, list)) and len(out) == 2, \
            "hidden test: fit_power_law does not return a pair (a, alpha)"
        a, alpha = float(out[0]), float(out[1])
        assert np.isclose(alpha, want_alpha, rtol=1e-6, atol=1e-9), \
            "hidden test: alpha is not the log-log least-squares exponent on new learning curves"
        assert np.isclose(a, want_a, rtol=1e-6), \
            "hidden test: a is not the log-log least-squares prefactor on new learning curves"
