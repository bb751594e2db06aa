"""Hidden tests of the FAQ chapter on compression and deployment (see :mod:`dlcourse.instructor.hidden`)."""


def ex_compression_deployment_2(prune):
    """The sparsity-quantile of |w| interpolated by hand from the sorted magnitudes, on
    shapes, sparsities and tied magnitudes the self-check never uses."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [(rng.normal(size=37), s) for s in (0.25, 0.75, 1.0)]
    cases += [(rng.normal(size=(2, 3, 5)), s) for s in (0.1, 0.99)]
    tied = np.round(rng.normal(size=(8, 6)), 1)  # quantized weights: many equal magnitudes
    tied[0, :4] = [0.3, -0.3, 0.3, -0.3]
    cases += [(tied, s) for s in (0.2, 0.5, 0.6)]
    cases.append((rng.normal(size=(16, 4)) * 1e-3, 0.3))
    for w, s in cases:
        flat = np.sort(np.abs(w).ravel())
        pos = s * (flat.size - 1)
        lo = int(np.floor(pos))
        hi = min(lo + 1, flat.size - 1)
        tau = flat[lo] + (pos - lo) * (flat[hi] - flat[lo])
        keep = np.abs(w) > tau
        w_in = w.copy()
        got = np.asarray(prune(w_in, s), dtype=float)
        assert np.array_equal(w_in, w), "hidden test: prune changes w in place"
        assert got.shape == w.shape, "hidden test: prune changes the shape of w"
        assert np.all(got[~keep] == 0), \
            "hidden test: some weights at or below the threshold are not zeroed"
        assert np.array_equal(got[keep], w[keep]), \
            "hidden test: some weights above the threshold are changed or zeroed"


def ex_compression_deployment_3(soften):
    """softmax(z / T) as exp(z / T - logsumexp(z / T)) in extended precision, at temperatures
    and logit scales the self-check never uses (rows of very different size included)."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [(rng.normal(scale=2.0, size=(5, 7)), T) for T in (2.5, 10.0, 0.2)]
    cases.append((rng.normal(scale=3.0, size=(4, 3)), 0.01))  # z / T reaches the hundreds
    cases.append((np.array([[1000.0, 999.0, 990.0], [-1000.0, -1001.0, -1010.0],
                            [3.0, 2.0, -4.0]]), 2.0))
    cases.append((rng.normal(size=(1, 12)) * 50.0, 0.5))
    for z, T in cases:
        zl = z.astype(np.longdouble) / T
        m = zl.max(axis=1, keepdims=True)
        want = np.exp(zl - m - np.log(np.exp(zl - m).sum(axis=1, keepdims=True)))
        with np.errstate(all="ignore"):
            got = np.asarray(soften(z.copy(), T), dtype=float)
        assert got.shape == z.shape, "hidden test: soften changes the shape of the logits"
        assert np.all(np.isfinite(got)), "hidden test: soften overflows or returns NaN"
        assert np.allclose(got, want.astype(float), rtol=1e-9, atol=1e-12), \
            "hidden test: the softened probabilities differ at a new temperature or scale"
