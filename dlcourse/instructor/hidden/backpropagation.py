"""Hidden tests of the chapter on backpropagation (see :mod:`dlcourse.instructor.hidden`)."""


def ex_backpropagation_2(neuron_grad):
    """The gradient against central finite differences of (relu(w @ x) - y)^2 on new inputs,
    and 0 when z = w @ x is exactly 0 (the statement's ReLU derivative at 0)."""
    import numpy as np

    def loss(w, x, y_true):
        return (max(0.0, float(w @ x)) - y_true) ** 2

    rng = np.random.default_rng(20261207)
    cases = []
    for _ in range(12):
        w, x = rng.normal(scale=2.0, size=2), rng.normal(scale=2.0, size=2)
        if abs(w @ x) < 0.05:
            x = x + np.sign(w @ x or 1.0) * w
        cases.append((w, x, float(rng.normal(scale=3.0))))
    for w, x, y_true in cases:
        got = np.asarray(neuron_grad(w.copy(), x.copy(), y_true), dtype=float)
        assert got.shape == (2,), "hidden test: neuron_grad does not return an array of shape (2,)"
        h, numeric = 1e-6, np.zeros(2)
        for i in range(2):
            step = np.zeros(2)
            step[i] = h
            numeric[i] = (loss(w + step, x, y_true) - loss(w - step, x, y_true)) / (2 * h)
        assert np.allclose(got, numeric, rtol=1e-5, atol=1e-6), \
            "hidden test: neuron_grad differs from finite differences on random inputs"
    for w, x, y_true in [(np.array([1.0, -1.0]), np.array([0.5, 0.5]), 2.0),
                         (np.array([0.0, 0.0]), np.array([3.0, -1.0]), -1.5),
                         (np.array([2.0, 1.0]), np.array([0.0, 0.0]), 1.0)]:
        got = np.asarray(neuron_grad(w.copy(), x.copy(), y_true), dtype=float)
        assert got.shape == (2,) and np.allclose(got, 0.0, atol=1e-12), \
            "hidden test: neuron_grad is not zero at z = 0, where the ReLU derivative is 0"


def ex_backpropagation_3(dense_backward):
    """(dW, db, dx) against finite differences of the linear loss sum(delta * (x @ W + b))
    on shapes the self-check does not use (square, one unit, large batches)."""
    import numpy as np

    def numeric(f, a):
        # f is linear in a: a central difference of step 1 is exact up to rounding
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            plus, minus = a.copy(), a.copy()
            plus[i] += 1.0
            minus[i] -= 1.0
            g[i] = (f(plus) - f(minus)) / 2.0
        return g

    rng = np.random.default_rng(20261207)
    for n, n_in, n_out in [(3, 3, 3), (7, 4, 1), (1, 1, 1), (9, 2, 5), (2, 6, 3)]:
        x, w = rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out))
        b, delta = rng.normal(size=n_out), rng.normal(size=(n, n_out))
        out = dense_backward(x.copy(), w.copy(), delta.copy())
        assert isinstance(out, (tuple, list)) and len(out) == 3, \
            "hidden test: dense_backward does not return a tuple (dW, db, dx)"
        dw, db, dx = (np.asarray(v, dtype=float) for v in out)
        assert dw.shape == w.shape and dx.shape == x.shape and db.size == n_out, \
            "hidden test: a gradient of dense_backward has the wrong shape"
        assert np.allclose(dw, numeric(lambda v: float(np.sum(delta * (x @ v + b))), w),
                           rtol=1e-9, atol=1e-10), \
            "hidden test: dW differs from finite differences"
        assert np.allclose(db.reshape(-1), numeric(lambda v: float(np.sum(delta * (x @ w + v))), b),
                           rtol=1e-9, atol=1e-10), \
            "hidden test: db differs from finite differences"
        assert np.allclose(dx, numeric(lambda v: float(np.sum(delta * (v @ w + b))), x),
                           rtol=1e-9, atol=1e-10), \
            "hidden test: dx differs from finite differences"
