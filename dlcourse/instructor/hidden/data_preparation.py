"""Hidden tests of the chapter on data preparation (see :mod:`dlcourse.instructor.hidden`)."""


def ex_data_preparation_1(standardize):
    """The formula written with sums over the training rows, on splits the self-check never
    uses: tiny and huge feature scales, integer data, one other row, two constant columns."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    scaled = rng.normal(size=(25, 4)) * np.array([1e-5, 1.0, 1e4, 3.0]) + np.array([1e-3, -7.0, 5e4, 0.0])
    constant = rng.normal(2.0, 3.0, size=(16, 5))
    constant[:, 1], constant[:, 4] = 0.0, -3.25
    cases = [
        (scaled, rng.normal(size=(9, 4)) * np.array([1e-5, 1.0, 1e4, 3.0]), "features on very different scales"),
        (rng.integers(0, 256, size=(40, 3)), rng.integers(0, 256, size=(1, 3)), "integer data and one other row"),
        (constant, rng.normal(2.0, 3.0, size=(7, 5)), "two constant training columns"),
        (rng.uniform(-1, 1, size=(11, 1)), rng.uniform(5, 6, size=(4, 1)), "one feature"),
    ]
    for x_train, x_other, what in cases:
        n = x_train.shape[0]
        mu = x_train.sum(axis=0) / n
        sigma = np.sqrt(((x_train - mu) ** 2).sum(axis=0) / n)
        sigma[sigma == 0] = 1.0
        a, b = x_train.copy(), x_other.copy()
        out = standardize(a, b)
        assert np.array_equal(a, x_train) and np.array_equal(b, x_other), \
            "hidden test: standardize modifies its inputs"
        assert len(out) == 2, "hidden test: standardize does not return a pair"
        for got, x, name in [(out[0], x_train, "z_train"), (out[1], x_other, "z_other")]:
            got = np.asarray(got, dtype=float)
            assert got.shape == x.shape, f"hidden test: {name} has the wrong shape for {what}"
            assert np.allclose(got, (x - mu) / sigma, rtol=1e-9, atol=1e-9), \
                f"hidden test: {name} has the wrong values for {what}"


def ex_data_preparation_2(one_hot):
    """The one-hot matrix built by a loop over the labels, for more classes than ten, labels
    of other integer dtypes, a single label; the result must be float as asked."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [
        (rng.integers(0, 37, size=50), 37, "37 classes"),
        (np.array([11, 0, 11, 5], dtype=np.int32), 12, "int32 labels"),
        (np.array([2, 0, 1], dtype=np.uint8), 3, "uint8 labels"),
        (np.array([4]), 5, "a single label"),
        (rng.integers(0, 2, size=20), 2, "two classes"),
        (np.array([0, 3, 1, 3]), 6, "labels that leave the last classes unused"),
    ]
    for y, k, what in cases:
        expected = np.zeros((len(y), k))
        for row, label in enumerate(y.tolist()):
            expected[row, label] = 1.0
        given = y.copy()
        out = one_hot(given, k)
        assert np.array_equal(given, y), "hidden test: one_hot modifies y"
        got = np.asarray(out)
        assert got.shape == expected.shape, f"hidden test: wrong shape of the one-hot matrix for {what}"
        assert np.issubdtype(got.dtype, np.floating), "hidden test: the one-hot matrix is not float"
        assert np.array_equal(got, expected), f"hidden test: wrong one-hot matrix for {what}"
