"""Hidden tests of the FAQ chapter on training deep networks (see :mod:`dlcourse.instructor.hidden`)."""


def ex_training_2(chain_grad_norms):
    """The norms of dL/dW_l for L = sum(grad_out * h_L), by central finite differences of
    the forward pass, on chains the self-check never uses (and residual left at its default)."""
    import numpy as np

    rng = np.random.default_rng(20261207)

    def forward(x, weights, residual):
        h = x
        for W in weights:
            s = 1.0 / (1.0 + np.exp(-(h @ W)))
            h = h + s if residual else s
        return h

    def numeric_norms(x, weights, g, residual, eps=1e-6):
        norms = []
        for k, W in enumerate(weights):
            grad = np.zeros_like(W)
            for i in np.ndindex(W.shape):
                plus = [w.copy() for w in weights]
                minus = [w.copy() for w in weights]
                plus[k][i] += eps
                minus[k][i] -= eps
                grad[i] = (np.sum(g * forward(x, plus, residual))
                           - np.sum(g * forward(x, minus, residual))) / (2 * eps)
            norms.append(np.linalg.norm(grad))
        return np.array(norms)

    dims = [2, 5, 3, 4, 2]
    plain = (rng.normal(size=(4, 2)), [rng.normal(size=(a, b)) for a, b in zip(dims[:-1], dims[1:])],
             rng.normal(size=(4, 2)))
    square = (rng.normal(size=(5, 3)), [rng.normal(scale=0.8, size=(3, 3)) for _ in range(5)],
              rng.normal(size=(5, 3)))
    single = (rng.normal(size=(1, 3)), [rng.normal(size=(3, 6))], rng.normal(size=(1, 6)))
    for (x, weights, g), residual, what in ((plain, None, "a plain chain called without residual"),
                                            (single, False, "a single layer on one example"),
                                            (square, False, "a plain chain of square layers"),
                                            (square, True, "a residual chain")):
        args = (x.copy(), [w.copy() for w in weights], g.copy())
        try:
            with np.errstate(all="ignore"):
                out = (chain_grad_norms(*args) if residual is None
                       else chain_grad_norms(*args, residual=residual))
            got = np.asarray(out, dtype=float)
        except Exception:  # noqa: BLE001 - a crash is a failure of this case
            got = None
        assert got is not None, f"hidden test: chain_grad_norms raises an error for {what}"
        assert got.shape == (len(weights),), f"hidden test: not one norm per layer for {what}"
        want = numeric_norms(x, weights, g, bool(residual))
        assert np.allclose(got, want, rtol=1e-5, atol=1e-9), \
            f"hidden test: the norms differ from finite differences for {what}"
