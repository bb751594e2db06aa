"""Hidden tests of the Attention chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_attention_1(attention_fn):
    """Attention written out query by query (math.exp, shifted by the row's max) on other
    shapes, random and fully masked rows, large scores, and the call without a mask."""
    import math

    import numpy as np

    rng = np.random.default_rng(20261207)

    def reference(q, k, v, mask):
        out = np.zeros((len(q), v.shape[1]))
        for i in range(len(q)):
            s = [float(q[i] @ k[j]) / math.sqrt(q.shape[1]) for j in range(len(k))]
            if mask is not None:
                s = [s[j] if mask[i, j] else -1e9 for j in range(len(k))]
            top = max(s)
            w = [math.exp(x - top) for x in s]
            out[i] = sum(wj * v[j] for j, wj in enumerate(w)) / sum(w)
        return out

    def run(q, k, v, mask):
        args = [q.copy(), k.copy(), v.copy()]
        if mask is None:
            optional = True
            try:
                got = attention_fn(*args)
            except TypeError:
                optional = False
            assert optional, \
                "hidden test: attention_fn(q, k, v) fails: the mask must be optional (mask=None)"
        else:
            got = attention_fn(*args, mask=mask.copy())
        assert all(np.array_equal(a, b) for a, b in zip(args, (q, k, v))), \
            "hidden test: attention modifies q, k or v"
        got = np.asarray(got, dtype=float)
        assert got.shape == (len(q), v.shape[1]), "hidden test: the output has the wrong shape"
        return got

    for tq, tk, dk, dv in [(5, 2, 1, 3), (2, 6, 5, 4), (6, 6, 3, 1)]:
        q, k, v = rng.normal(size=(tq, dk)), rng.normal(size=(tk, dk)), rng.normal(size=(tk, dv))
        assert np.allclose(run(q, k, v, None), reference(q, k, v, None), rtol=0, atol=1e-6), \
            "hidden test: wrong output without a mask (called as attention_fn(q, k, v))"
        mask = rng.random((tq, tk)) < 0.6
        mask[np.arange(tq), rng.integers(0, tk, size=tq)] = True
        assert np.allclose(run(q, k, v, mask), reference(q, k, v, mask), rtol=0, atol=1e-6), \
            "hidden test: wrong output for a random mask"

    q, k, v = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    mask = rng.random((4, 5)) < 0.5
    mask[0] = True
    mask[2] = False                                      # query 2 may attend to no key
    got = run(q, k, v, mask)
    assert np.all(np.isfinite(got)), "hidden test: a fully masked row gives NaN or inf"
    assert np.allclose(got, reference(q, k, v, mask), rtol=0, atol=1e-6), \
        "hidden test: wrong output for a query whose keys are all masked (scores of -1e9)"

    q, k, v = rng.normal(scale=30.0, size=(3, 4)), rng.normal(scale=30.0, size=(4, 4)), \
        rng.normal(size=(4, 3))
    got = run(q, k, v, None)
    assert np.all(np.isfinite(got)), "hidden test: large scores give NaN or inf (is the softmax stable?)"
    assert np.allclose(got, reference(q, k, v, None), rtol=0, atol=1e-6), \
        "hidden test: wrong output for large scores"


def ex_attention_2(positional_encoding):
    """Each entry of the encoding from its formula with math.sin/math.cos, on sizes the
    self-check never uses."""
    import math

    import numpy as np

    for length, depth in [(3, 4), (64, 10), (1, 12), (120, 2), (9, 32)]:
        want = np.zeros((length, depth))
        for p in range(length):
            for i in range(depth // 2):
                angle = p / 10000 ** (2 * i / depth)
                want[p, 2 * i], want[p, 2 * i + 1] = math.sin(angle), math.cos(angle)
        got = np.asarray(positional_encoding(length, depth), dtype=float)
        assert got.shape == (length, depth), "hidden test: the encoding has the wrong shape"
        assert np.allclose(got, want, rtol=0, atol=1e-6), \
            "hidden test: wrong encodings for sizes the self-check does not use"
