"""Hidden tests of the FAQ chapter on interpretability (see :mod:`dlcourse.instructor.hidden`)."""


def ex_interpretability_2(linear_saliency):
    """|d z_c / d x| by central finite differences of z = W^T x + b at a random image, for
    every class of weights the self-check never uses, laid out as the 8 x 8 image."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for scale in (1.0, 0.01):
        W, b = rng.normal(scale=scale, size=(64, 10)), rng.normal(size=10)
        x, h = rng.uniform(0.0, 16.0, size=64), 1e-3
        numeric = np.empty((64, 10))
        for i in range(64):
            e = np.zeros(64)
            e[i] = h
            numeric[i] = ((x + e) @ W + b - ((x - e) @ W + b)) / (2 * h)
        for c in range(10):
            got = np.asarray(linear_saliency(W.copy(), c), dtype=float)
            assert got.shape == (8, 8), "hidden test: the saliency map is not an 8 x 8 array"
            want = np.abs(numeric[:, c]).reshape(8, 8)
            assert np.allclose(got, want, rtol=1e-6, atol=1e-9 * scale), \
                "hidden test: the map of a class differs from the magnitude of the gradient"


def ex_interpretability_3(fidelity):
    """The fraction of agreeing labels counted with a Python loop, on label arrays of
    lengths, dtypes and agreement rates the self-check never uses."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = []
    for n, agree in ((1, 1.0), (7, 0.5), (57, 0.3), (1000, 0.9)):
        model = rng.integers(0, 10, n)
        surrogate = np.where(rng.random(n) < agree, model, (model + rng.integers(1, 10, n)) % 10)
        cases.append((surrogate, model))
    model = rng.integers(0, 2, 33).astype(bool)
    cases.append((np.where(rng.random(33) < 0.6, model, ~model), model))
    names = np.array(["cat", "dog", "bird"])
    model = names[rng.integers(0, 3, 40)]
    cases.append((np.where(rng.random(40) < 0.4, model, names[rng.integers(0, 3, 40)]), model))
    cases.append((np.zeros(5, dtype=np.int32), np.ones(5, dtype=np.int64)))
    for surrogate, model in cases:
        want = sum(1 for s, m in zip(surrogate.tolist(), model.tolist()) if s == m) / len(model)
        got = fidelity(surrogate.copy(), model.copy())
        assert np.ndim(got) == 0, "hidden test: fidelity does not return a single number"
        assert abs(float(got) - want) < 1e-12, \
            "hidden test: fidelity is not the fraction of agreeing labels on new predictions"
