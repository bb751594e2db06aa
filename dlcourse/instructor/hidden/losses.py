"""Hidden tests of the chapter on loss functions (see :mod:`dlcourse.instructor.hidden`)."""


def ex_losses_4(bce_from_logits):
    """The mean of y*logaddexp(0, -z) + (1-y)*logaddexp(0, z), on new shapes, soft targets
    and confident right answers (relative accuracy), with NumPy warnings turned on."""
    import warnings

    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [
        (np.array([1.0, 0.0, 1.0, 0.0]), np.array([30.0, -30.0, 36.0, -25.0])),
        (np.array([[1.0], [0.0]]), np.array([[800.0], [-1200.0]])),
        (rng.random((3, 4, 2)), rng.normal(scale=5.0, size=(3, 4, 2))),
        (np.array([0.0, 1.0, 0.5]), np.array([2000.0, -750.0, 710.0])),
        (rng.integers(0, 2, size=(5, 2)).astype(float), rng.normal(scale=1e-9, size=(5, 2))),
        (np.array([0.25]), np.array([-3.5])),
    ]
    for y, z in cases:
        expected = float(np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))
        with warnings.catch_warnings(record=True) as caught, \
                np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            warnings.simplefilter("always")
            out = bce_from_logits(y.copy(), z.copy())
        assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], \
            "hidden test: bce_from_logits raises a NumPy warning (overflow or log of 0)"
        value = np.asarray(out, dtype=float)
        assert value.size == 1, "hidden test: bce_from_logits does not return one number"
        value = float(value.reshape(()))
        assert np.isfinite(value), "hidden test: bce_from_logits is not finite for large logits"
        assert abs(value - expected) <= 1e-7 * abs(expected) + 1e-12, \
            "hidden test: bce_from_logits is not accurate on new inputs (large or confident logits?)"


def ex_losses_5(sigmoid_mse_grad):
    """The gradient 2/n (s - y) s (1 - s), with s and s(1 - s) written through logaddexp,
    on new shapes, soft targets and large logits (where finite differences lose it)."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [
        (rng.integers(0, 2, size=(2, 3, 2)).astype(float), rng.normal(scale=2.0, size=(2, 3, 2))),
        (np.array([1.0]), np.array([0.3])),
        (rng.random((5, 3)), rng.normal(scale=3.0, size=(5, 3))),
        (np.array([[0.0], [1.0], [0.0], [1.0]]), np.array([[25.0], [-30.0], [-20.0], [18.0]])),
        (rng.random(7), np.zeros(7)),
    ]
    for y, z in cases:
        s = np.exp(-np.logaddexp(0.0, -z))
        ds = np.exp(-np.logaddexp(0.0, -z) - np.logaddexp(0.0, z))
        expected = 2.0 / z.size * (s - y) * ds
        got = np.asarray(sigmoid_mse_grad(y.copy(), z.copy()), dtype=float)
        assert got.shape == z.shape, "hidden test: the gradient does not have the shape of z"
        assert np.allclose(got, expected, rtol=1e-6, atol=1e-15), \
            "hidden test: the gradient differs from the analytic formula on new inputs"
