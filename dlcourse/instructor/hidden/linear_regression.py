"""Hidden tests of the linear-regression chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_linear_regression_2(least_squares):
    """Data sets the self-check never uses (two points, negative and shifted x, unsorted),
    against the 2 x 2 normal equations of the centred data solved here."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    sets = [(np.array([[1.0], [3.0]]), np.array([[2.0], [-4.0]]))]
    for n, loc, scale, slope, noise in [(3, -2.0, 1.0, 0.7, 0.3), (12, 50.0, 4.0, -1.5, 2.0),
                                        (25, -10.0, 0.5, 8.0, 0.1), (60, 0.0, 3.0, 0.0, 1.0)]:
        x = rng.normal(loc, scale, size=(n, 1))
        sets.append((x, slope * x - 3.0 + noise * rng.normal(size=(n, 1))))
    for x, y in sets:
        xm, ym = x.ravel().mean(), y.ravel().mean()
        xc, yc = x.ravel() - xm, y.ravel() - ym
        # normal equations in (w, c) for y - ym = w * (x - xm) + c; c = 0 at the optimum
        a = np.array([[xc @ xc, xc.sum()], [xc.sum(), float(len(xc))]])
        w_ref, c = np.linalg.solve(a, np.array([xc @ yc, yc.sum()]))
        b_ref = ym + c - w_ref * xm
        x_in, y_in = x.copy(), y.copy()
        out = least_squares(x_in, y_in)
        assert isinstance(out, (tuple, list)) and len(out) == 2, \
            "hidden test: least_squares does not return a pair (w, b)"
        w, b = (float(np.asarray(v).item()) for v in out)
        assert np.array_equal(x_in, x) and np.array_equal(y_in, y), \
            "hidden test: least_squares modifies x or y"
        assert abs(w - w_ref) <= 1e-8 * max(1.0, abs(w_ref)), \
            "hidden test: the slope is wrong on a data set the self-check does not use"
        assert abs(b - b_ref) <= 1e-8 * max(1.0, abs(b_ref)), \
            "hidden test: the intercept is wrong on a data set the self-check does not use"


def ex_linear_regression_3(gradient_step):
    """Random lines, data and learning rates, against central differences of the MSE
    (exact up to rounding, the loss being quadratic), including a single point."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for n in (1, 4, 13, 50):
        x = rng.normal(1.0, 2.0, size=(n, 1))
        y = rng.normal(size=(n, 1)) - 2.0 * x
        w, b, lr = float(rng.normal()), float(rng.normal()), float(rng.uniform(0.001, 0.2))

        def mse(w_, b_):
            return float(np.mean((w_ * x + b_ - y) ** 2))

        h = 1e-3
        grad_w = (mse(w + h, b) - mse(w - h, b)) / (2 * h)
        grad_b = (mse(w, b + h) - mse(w, b - h)) / (2 * h)
        x_in, y_in = x.copy(), y.copy()
        out = gradient_step(w, b, x_in, y_in, lr)
        assert isinstance(out, (tuple, list)) and len(out) == 2, \
            "hidden test: gradient_step does not return a pair (w, b)"
        new_w, new_b = (float(np.asarray(v).item()) for v in out)
        assert np.array_equal(x_in, x) and np.array_equal(y_in, y), \
            "hidden test: gradient_step modifies x or y"
        scale = 1e-9 * max(1.0, abs(w), abs(b), lr * abs(grad_w), lr * abs(grad_b))
        assert abs(new_w - (w - lr * grad_w)) <= scale, \
            "hidden test: the new w is not w - learning_rate * dL/dw of the MSE"
        assert abs(new_b - (b - lr * grad_b)) <= scale, \
            "hidden test: the new b is not b - learning_rate * dL/db of the MSE"
