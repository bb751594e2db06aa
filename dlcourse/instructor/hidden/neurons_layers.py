"""Hidden tests of the chapter on neurons and layers (see :mod:`dlcourse.instructor.hidden`)."""


def ex_neurons_layers_2(count_params):
    """The count of random networks (up to 7 sizes), against the sizes of the weight matrices
    and bias vectors built as NumPy arrays; the result must be an integer."""
    import numbers

    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [[1, 3], [5, 5], (2, 1, 2), [1, 1, 1, 1, 1]]
    for _ in range(10):
        cases.append([int(v) for v in rng.integers(1, 300, size=int(rng.integers(2, 8)))])
    cases.append(tuple(cases[-1]))
    for sizes in cases:
        arrays = [np.zeros((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        arrays += [np.zeros(b) for b in sizes[1:]]
        got = count_params(list(sizes) if isinstance(sizes, list) else tuple(sizes))
        assert isinstance(got, numbers.Integral) and not isinstance(got, bool), \
            "hidden test: count_params does not return an integer"
        assert int(got) == sum(a.size for a in arrays), \
            "hidden test: count_params is wrong for networks the self-check does not use"


def ex_neurons_layers_4(collapse):
    """The collapsed layer against the stack run layer by layer on random batches, for stacks
    of one to five layers the self-check does not use; the inputs must stay unchanged."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for sizes in ([2, 2], [1, 3, 1], [3, 2, 4, 5, 1], [2, 6, 6, 6, 3, 2], [5, 3, 3]):
        weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        biases = [rng.normal(size=b) for b in sizes[1:]]
        kept_w, kept_b = [w.copy() for w in weights], [b.copy() for b in biases]
        out = collapse(weights, biases)
        assert len(weights) == len(kept_w) and len(biases) == len(kept_b) and all(
            np.array_equal(a, b) for a, b in zip(weights + biases, kept_w + kept_b)), \
            "hidden test: collapse modifies the arrays or the lists it receives"
        assert isinstance(out, (tuple, list)) and len(out) == 2, \
            "hidden test: collapse does not return a pair (W, b)"
        W = np.array(out[0], dtype=float)
        b = np.array(out[1], dtype=float).reshape(-1)
        assert W.shape == (sizes[0], sizes[-1]) and b.shape == (sizes[-1],), \
            "hidden test: the collapsed layer has the wrong shape"
        x = rng.normal(size=(6, sizes[0]))
        h = x
        for w_l, b_l in zip(kept_w, kept_b):
            h = h @ w_l + b_l
        assert np.allclose(x @ W + b, h, rtol=1e-9, atol=1e-10), \
            "hidden test: x @ W + b differs from the stack's output"
