"""Hidden tests of the chapter on activation functions (see :mod:`dlcourse.instructor.hidden`)."""


def ex_activations_3(log_softmax):
    """log_softmax on random batches against log(softmax) computed in extended precision."""
    import numpy as np

    rng = np.random.default_rng(20261204)
    for shape in [(7,), (3, 5), (2, 4, 6)]:
        z = rng.normal(scale=4.0, size=shape)
        zl = z.astype(np.longdouble)
        expected = zl - np.log(np.exp(zl).sum(axis=-1, keepdims=True))
        got = np.asarray(log_softmax(z.copy()), dtype=float)
        assert got.shape == z.shape, "hidden test: log_softmax changes the shape of a batch"
        assert np.allclose(got, expected.astype(float), atol=1e-9), \
            "hidden test: log_softmax differs on random batches"


def ex_activations_4(stacked_sigmoid_grad):
    """The derivative of sigma composed k times, by central finite differences."""
    import numpy as np

    def stacked(x, k):
        for _ in range(k):
            x = 1.0 / (1.0 + np.exp(-x))
        return x

    x, h = np.linspace(-3.0, 3.0, 13), 1e-5
    for k in (1, 3, 5):
        numeric = (stacked(x + h, k) - stacked(x - h, k)) / (2 * h)
        got = np.asarray(stacked_sigmoid_grad(x.copy(), k), dtype=float)
        assert np.allclose(got, numeric, rtol=1e-5, atol=1e-10), \
            "hidden test: the derivative differs from finite differences"
