"""Hidden tests of the chapter "XOR, step by step" (see :mod:`dlcourse.instructor.hidden`)."""


def ex_xor_2(weights):
    """The 2-2-1 network run as dlcourse Dense layers (ReLU, then linear) on the four rows,
    which must give 0 and 1 up to rounding: an exact fit, not one to 1e-6."""
    import numpy as np

    from dlcourse import layers

    assert isinstance(weights, (tuple, list)) and len(weights) == 4, \
        "hidden test: weights is not a tuple (W1, b1, W2, b2)"
    W1, b1, W2, b2 = (np.array(a, dtype=float) for a in weights)
    assert W1.shape == (2, 2) and b1.size == 2 and W2.size == 2 and b2.size == 1, \
        "hidden test: the weights do not have the shapes of a 2-2-1 network"
    hidden = layers.Dense(2, 2, "relu", rng=0)
    output = layers.Dense(2, 1, "linear", rng=0)
    hidden.params["W"][...], hidden.params["b"][...] = W1, b1.reshape(2)
    output.params["W"][...], output.params["b"][...] = W2.reshape(2, 1), b2.reshape(1)
    net = layers.Sequential([hidden, output])
    rows = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    out = net.forward(rows).reshape(-1)
    assert np.all(np.isfinite(out)), "hidden test: the network's outputs are not finite"
    assert np.array_equal(out > 0.5, rows[:, 0] != rows[:, 1]), \
        "hidden test: the network does not compute XOR"
    scale = 1.0 + float(np.max(np.abs(np.concatenate([a.reshape(-1) for a in (W1, b1, W2, b2)]))))
    assert np.allclose(out, rows[:, 0] != rows[:, 1], rtol=0, atol=1e-13 * scale ** 2), \
        "hidden test: the outputs are not exactly 0 and 1 (the mean squared error is not 0)"


def ex_xor_4(n_separable):
    """The number of labellings of the four rows that some threshold unit with small integer
    weights and a half-integer bias computes, counted by brute force (no best_margin)."""
    import itertools
    import numbers

    import numpy as np

    assert isinstance(n_separable, numbers.Real) and not isinstance(n_separable, bool), \
        "hidden test: n_separable is not a number"
    rows = np.array(list(itertools.product((0, 1), repeat=2)), dtype=float)
    found = set()
    for w1, w2 in itertools.product(range(-2, 3), repeat=2):
        for b in np.arange(-2.5, 3.0, 1.0):
            found.add(tuple(int(v) for v in (rows @ np.array([w1, w2]) + b > 0)))
    assert float(n_separable) == len(found), \
        "hidden test: n_separable is not the number of linearly separable Boolean functions"
