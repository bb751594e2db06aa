"""Hidden tests of the residual chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_residual_1(residual_forward):
    """Shapes the self-check does not use (a branch narrower than the input among them)
    against the block written out unit by unit with einsum, the shortcut added after."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for batch, width, hidden in ((5, 4, 3), (2, 7, 1), (9, 3, 12), (3, 1, 4)):
        x = rng.normal(size=(batch, width))
        W1, b1 = rng.normal(size=(width, hidden)), rng.normal(size=hidden) - 0.5
        W2, b2 = rng.normal(size=(hidden, width)), rng.normal(size=width)
        args = (x, W1, b1, W2, b2)
        z = np.einsum("bi,ih->bh", x, W1) + b1
        branch = np.einsum("bh,hi->bi", np.where(z > 0, z, 0.0), W2) + b2
        got = residual_forward(*[a.copy() for a in args])
        got = np.asarray(got, dtype=float)
        assert got.shape == x.shape, \
            "hidden test: residual_forward's output does not have the shape of x"
        assert np.allclose(got, x + branch, rtol=1e-9, atol=1e-9), \
            "hidden test: residual_forward has wrong values for shapes not in the self-check"


def ex_residual_2(residual_backward):
    """Shapes the self-check does not use against central finite differences of
    L = sum(g * y) in x, with y = x + relu(x W1 + b1) W2 + b2 written here."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for batch, width, hidden in ((3, 4, 2), (2, 5, 9), (4, 2, 3)):
        x = rng.normal(size=(batch, width))
        W1, b1 = rng.normal(size=(width, hidden)), rng.normal(size=hidden)
        W2, b2 = rng.normal(size=(hidden, width)), rng.normal(size=width)
        g = rng.normal(size=(batch, width))
        z = x @ W1 + b1
        b1 = b1 + np.where(np.abs(z).min(axis=0) < 0.05, 0.2, 0.0)  # no input at a kink

        def loss(x_):
            return float(np.sum(g * (x_ + np.maximum(x_ @ W1 + b1, 0.0) @ W2 + b2)))

        numeric = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[i] += 1e-6
            minus[i] -= 1e-6
            numeric[i] = (loss(plus) - loss(minus)) / 2e-6
        got = residual_backward(*[a.copy() for a in (g, x, W1, b1, W2, b2)])
        got = np.asarray(got, dtype=float)
        assert got.shape == x.shape, \
            "hidden test: residual_backward's output does not have the shape of x"
        assert np.allclose(got, numeric, rtol=1e-5, atol=1e-6), \
            "hidden test: residual_backward differs from finite differences of the block"
