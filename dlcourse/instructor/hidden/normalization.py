"""Hidden tests of the normalization chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_normalization_1(layer_norm):
    """Layer normalization written out with sums over the last axis, for eps other than
    the self-check's 1e-3 (and its default), on small-variance and one-feature inputs."""
    import numpy as np

    rng = np.random.default_rng(20261207)

    def reference(x, gamma, beta, eps):
        n = x.shape[-1]
        centred = x - x.sum(axis=-1, keepdims=True) / n
        var = (centred * centred).sum(axis=-1, keepdims=True) / n
        return centred / np.sqrt(var + eps) * gamma + beta

    cases = [((3, 4), 0.01, 1e-5), ((2, 3, 5), 0.05, 0.5), ((6,), 0.1, 1e-2),
             ((5, 1), 1.0, 1e-3), ((4, 7), 0.02, None)]
    for shape, scale, eps in cases:
        x = rng.normal(loc=-1.0, scale=scale, size=shape)
        gamma, beta = rng.normal(size=shape[-1]), rng.normal(size=shape[-1])
        args = [x.copy(), gamma.copy(), beta.copy()]
        default = eps is None
        if default:
            out, eps = layer_norm(*args), 1e-3
        else:
            out = layer_norm(*args, eps=eps)
        got = np.asarray(out, dtype=float)
        want = reference(x, gamma, beta, eps)
        assert got.shape == x.shape, "hidden test: layer_norm changes the shape of x"
        assert all(np.array_equal(a, b) for a, b in zip(args, (x, gamma, beta))), \
            "hidden test: layer_norm modifies its arguments"
        assert default or np.allclose(got, want, rtol=1e-7, atol=1e-9), \
            "hidden test: layer_norm is wrong for an eps other than 1e-3 (or a small variance)"
        assert np.allclose(got, want, rtol=1e-7, atol=1e-9), \
            "hidden test: layer_norm is wrong when eps is left at its default (1e-3)"


def ex_normalization_2(fold_batch_norm):
    """x * scale + shift against the inference formula written here, for eps other than
    the self-check's 1e-3 (and its default) and tiny moving variances."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for n, eps in [(3, 1e-5), (5, 0.3), (2, 1e-3), (4, None)]:
        gamma, beta = rng.normal(size=n), rng.normal(size=n)
        mean = rng.normal(size=n)
        var = rng.uniform(1e-6, 1e-4, size=n) if n != 2 else rng.uniform(1.0, 50.0, size=n)
        args = [gamma.copy(), beta.copy(), mean.copy(), var.copy()]
        if eps is None:
            out, eps = fold_batch_norm(*args), 1e-3
        else:
            out = fold_batch_norm(*args, eps=eps)
        assert isinstance(out, (tuple, list)) and len(out) == 2, \
            "hidden test: fold_batch_norm does not return a pair (scale, shift)"
        scale, shift = (np.asarray(o, dtype=float) for o in out)
        assert scale.shape == (n,) and shift.shape == (n,), \
            "hidden test: scale and shift must each have shape (features,)"
        assert all(np.array_equal(a, b) for a, b in zip(args, (gamma, beta, mean, var))), \
            "hidden test: fold_batch_norm modifies its arguments"
        x = rng.normal(size=(7, n))
        want = gamma * (x - mean) / np.sqrt(var + eps) + beta
        assert np.allclose(x * scale + shift, want, rtol=1e-7, atol=1e-9), (
            "hidden test: x * scale + shift differs from batch normalization at inference "
            "for an eps other than 1e-3, its default, or a tiny moving variance")
