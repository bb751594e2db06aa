"""Hidden tests of the Background chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_background_2(perceptron_update):
    """The perceptron rule on inputs the self-check never uses, against a one-line formula."""
    import numpy as np

    rng = np.random.default_rng(20261204)
    for _ in range(20):
        n = int(rng.integers(1, 6))
        w, x = rng.normal(size=n), rng.normal(size=n)
        b, y, lr = float(rng.normal()), int(rng.integers(2)), float(rng.uniform(0.01, 3))
        error = y - (1 if float(np.dot(w, x)) + b > 0 else 0)
        new_w, new_b = perceptron_update(w.copy(), b, x.copy(), y, lr)
        assert np.allclose(new_w, w + lr * error * x, atol=1e-9), "hidden test: wrong new weights"
        assert abs(float(new_b) - (b + lr * error)) <= 1e-9, "hidden test: wrong new bias"


def ex_background_3(weights):
    """The network's output on the four inputs, with the step written as np.heaviside."""
    import numpy as np

    W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in weights)
    for x1 in (0.0, 1.0):
        for x2 in (0.0, 1.0):
            h = np.heaviside(np.array([x1, x2]) @ W1 + b1.reshape(-1), 0.0)
            out = np.heaviside(float(h @ W2.reshape(-1) + float(b2)), 0.0)
            assert out == float(x1 != x2), "hidden test: the network does not compute XOR"


def ex_background_4(counts):
    """Milestones per decade, counted with collections.Counter from the milestones table."""
    from collections import Counter

    from dlcourse import milestones

    truth = Counter(int(str(m.year)[:3] + "0") for m in milestones.MILESTONES)
    assert {int(k): int(v) for k, v in dict(counts).items() if v} == dict(truth), \
        "hidden test: the counts differ from the milestones of dlcourse.milestones"
