"""Hidden tests of the gradient-descent chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_gradient_descent_2(eta_max, eta_best):
    """Both rates from the eigenvalues 3 -+ sqrt(2) of H, written from its trace and
    determinant, to 1e-6 (the self-check accepts three digits), and through |1 - eta * lambda|."""
    import math

    import numpy as np

    trace, det = 4.0 + 2.0, 4.0 * 2.0 - 1.0 * 1.0
    lo = trace / 2 - math.sqrt(trace * trace / 4 - det)
    hi = trace / 2 + math.sqrt(trace * trace / 4 - det)
    got_max, got_best = float(np.asarray(eta_max).item()), float(np.asarray(eta_best).item())
    assert abs(got_max - 2.0 / hi) <= 1e-6 * (2.0 / hi), \
        "hidden test: eta_max is not 2 / (largest eigenvalue of H) to six digits: compute it, do not round"
    assert abs(got_best - 2.0 / (lo + hi)) <= 1e-6 * (2.0 / (lo + hi)), \
        "hidden test: eta_best is not the balanced rate to six digits: compute it, do not round"
    # eta_max: the slowest factor max |1 - eta * lambda| of gradient descent reaches 1 there;
    # eta_best: the two factors are equal there, the smallest the slowest one can be.
    factors = np.abs(1.0 - got_best * np.array([lo, hi]))
    assert abs(abs(1.0 - got_max * hi) - 1.0) <= 1e-5, \
        "hidden test: at eta_max the steepest direction is not on the edge of divergence"
    assert abs(factors[0] - factors[1]) <= 1e-5, \
        "hidden test: at eta_best the two directions do not shrink at the same rate"


def ex_gradient_descent_3(momentum_path):
    """Random quadratics (the momentum rule as a linear map of (w, v)), a non-quadratic
    gradient against a loop written here, steps = 0 and an integer w0."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = []
    for dim, steps in [(1, 7), (3, 12), (4, 25)]:
        a = rng.normal(size=(dim, dim))
        H = a @ a.T / dim + 0.1 * np.eye(dim)
        cases.append((H, rng.normal(size=dim), float(rng.uniform(0.01, 0.3)),
                      float(rng.uniform(0.2, 0.95)), steps))
    for H, w0, lr, mu, steps in cases:
        dim = len(w0)
        # (w, v) -> (w + v', v') with v' = mu v - lr H w: one matrix acting on the stacked state
        step = np.block([[np.eye(dim) - lr * H, mu * np.eye(dim)], [-lr * H, mu * np.eye(dim)]])
        state, want = np.concatenate([w0, np.zeros(dim)]), [w0.copy()]
        for _ in range(steps):
            state = step @ state
            want.append(state[:dim].copy())
        given = w0.copy()
        got = np.asarray(momentum_path(lambda w, H=H: H @ w, given, lr, mu, steps), dtype=float)
        assert got.shape == (steps + 1, dim), "hidden test: the path has the wrong shape"
        assert np.array_equal(given, w0), "hidden test: momentum_path changes w0 in place"
        assert np.allclose(got, np.array(want), rtol=1e-8, atol=1e-10), \
            "hidden test: the path differs from momentum on a random quadratic"

    # a gradient that is not linear, the momentum loop written with a running sum of gradients
    w0, lr, mu, steps = np.array([0.7, -1.3, 2.0]), 0.2, 0.6, 15
    grad = lambda w: np.sin(w) + 0.1 * w ** 3  # noqa: E731
    w, past, want = w0.copy(), [], [w0.copy()]
    for k in range(steps):
        past.append(grad(w))
        w = w - lr * sum(mu ** (k - j) * g for j, g in enumerate(past))
        want.append(w.copy())
    got = np.asarray(momentum_path(grad, w0.copy(), lr, mu, steps), dtype=float)
    assert got.shape == (steps + 1, 3), "hidden test: the path has the wrong shape"
    assert np.allclose(got, np.array(want), rtol=1e-8, atol=1e-10), \
        "hidden test: the path differs from momentum on a non-quadratic function"

    got = np.asarray(momentum_path(grad, w0.copy(), lr, mu, 0), dtype=float)
    assert got.shape == (1, 3) and np.allclose(got[0], w0), \
        "hidden test: with steps = 0 the path is not the single point w0"

    int_w0 = np.array([2, -1])
    given = int_w0.copy()
    try:
        got = np.asarray(momentum_path(lambda w: 0.5 * w, given, 0.3, 0.5, 6), dtype=float)
    except Exception:  # e.g. updating an integer copy of w0 in place
        got = None
    assert got is not None, "hidden test: momentum_path fails when w0 is an integer array"
    w, v, want = np.array([2.0, -1.0]), np.zeros(2), [np.array([2.0, -1.0])]
    for _ in range(6):
        v = 0.5 * v - 0.3 * (0.5 * w)
        w = w + v
        want.append(w)
    assert np.array_equal(given, int_w0), "hidden test: momentum_path changes w0 in place"
    assert got.shape == (7, 2) and np.allclose(got, np.array(want), rtol=1e-9, atol=1e-12), \
        "hidden test: the path is wrong when w0 is an integer array (work in floats)"
