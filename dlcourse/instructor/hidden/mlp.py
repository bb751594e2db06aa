"""Hidden tests of the chapter "A multilayer perceptron" (see :mod:`dlcourse.instructor.hidden`)."""


def ex_mlp_2(binary_accuracy):
    """Accuracy counted example by example in Python (class 1 only for p > 0.5) on new
    batches, many probabilities exactly 0.5 or within a hair of it, float32 and int labels."""
    import numpy as np

    def counted(y, p):
        hits = sum(float(t) == (1.0 if float(q) > 0.5 else 0.0)
                   for t, q in zip(y.reshape(-1), p.reshape(-1)))
        return hits / y.size

    rng = np.random.default_rng(20261207)
    near = np.array([0.5, np.nextafter(0.5, 1.0), np.nextafter(0.5, 0.0), 0.5 + 1e-9,
                     0.5 - 1e-9, 0.501, 0.499, 0.5])
    cases = [
        (rng.integers(0, 2, size=(8, 1)).astype(float), near.reshape(8, 1)),
        (np.ones((5, 1)), np.full((5, 1), 0.5)),
        (np.zeros((6, 1)), np.full((6, 1), 0.5)),
        (rng.integers(0, 2, size=(37, 1)), rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(37, 1))),
        (rng.integers(0, 2, size=(13, 1)).astype(np.float32),
         rng.choice([0.5, 0.2, 0.8], size=(13, 1)).astype(np.float32)),
        (np.array([[1.0]]), np.array([[0.5]])),
        (rng.random((11, 1)).round(1), rng.random((11, 1))),
    ]
    for y, p in cases:
        got = binary_accuracy(y.copy(), p.copy())
        arr = np.asarray(got, dtype=float)
        assert arr.size == 1, "hidden test: binary_accuracy does not return one number"
        assert abs(float(arr.reshape(())) - counted(y, p)) <= 1e-6, \
            "hidden test: the accuracy is wrong on batches the self-check does not use"


def ex_mlp_3(bce_floor):
    """The mean binary entropy written element by element with math.log, on targets of
    several shapes (not only (n, 1)); all-0/1 targets must give a floor of exactly 0."""
    import math

    import numpy as np

    def floor(y):
        total = 0.0
        for t in y.reshape(-1).tolist():
            if 0.0 < t < 1.0:
                total -= t * math.log(t) + (1.0 - t) * math.log1p(-t)
        return total / y.size

    rng = np.random.default_rng(20261207)
    cases = [
        rng.random((4, 3)),
        rng.random(9),
        rng.choice([0.0, 1.0, 0.5, 0.125], size=(2, 3, 4)),
        np.array([0.5]),
        np.array([1e-12, 1.0 - 1e-12, 0.3]),
        rng.random((1, 7)),
    ]
    for y in cases:
        got = np.asarray(bce_floor(y.copy()), dtype=float)
        assert got.size == 1, "hidden test: bce_floor does not return one number"
        got = float(got.reshape(()))
        assert math.isfinite(got), "hidden test: bce_floor is not finite"
        assert abs(got - floor(y)) <= 1e-9 * max(1.0, abs(floor(y))), \
            "hidden test: the floor is wrong on targets the self-check does not use"
    for y in [np.array([[0.0], [1.0]]), np.ones((3, 2)), np.zeros(4)]:
        got = np.asarray(bce_floor(y.copy()), dtype=float)
        assert got.size == 1 and math.isfinite(float(got.reshape(-1)[0])) \
            and abs(float(got.reshape(-1)[0])) <= 1e-15, \
            "hidden test: targets of exactly 0 or 1 do not give a floor of exactly 0"
