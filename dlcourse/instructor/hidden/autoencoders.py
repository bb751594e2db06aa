"""Hidden tests of the chapter on autoencoders (see :mod:`dlcourse.instructor.hidden`)."""


def ex_autoencoders_2(pca_reconstruct):
    """Reconstructions against the projector onto the top-k eigenvectors of the covariance
    matrix (np.linalg.eigh), on tall and wide data far from the origin, k up to d."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for n, d, ks, offset in [(50, 8, (1, 3, 8), 100.0), (7, 12, (2, 4), -30.0),
                             (30, 4, (2,), 0.5)]:
        rank = min(n - 1, d)
        basis = np.linalg.qr(rng.normal(size=(d, d)))[0][:, :rank]
        scales = np.linspace(5.0, 0.5, rank)          # distinct variances: one answer
        x = (rng.normal(size=(n, rank)) * scales) @ basis.T + offset * rng.uniform(1, 2, d)
        mean = x.mean(axis=0)
        values, vectors = np.linalg.eigh(np.cov(x - mean, rowvar=False))
        order = np.argsort(values)[::-1]
        for k in ks:
            v = vectors[:, order[:k]]
            expected = mean + (x - mean) @ v @ v.T
            given = x.copy()
            got = np.asarray(pca_reconstruct(given, k), dtype=float)
            assert np.array_equal(given, x), "hidden test: pca_reconstruct changes x in place"
            assert got.shape == x.shape, "hidden test: the reconstruction does not have the shape of x"
            assert np.allclose(got, expected, rtol=1e-7, atol=1e-7 * (1 + abs(offset))), \
                f"hidden test: wrong reconstruction of {n} points in {d} dimensions with k = {k}"
