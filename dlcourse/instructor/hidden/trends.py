"""Hidden tests of the trends chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_trends_1(conv2d_cost):
    """Parameters and FLOPs counted from first principles (one bias and one k_h x k_w x C_in
    kernel per filter, two FLOPs per multiply-add at each output position) on layers of
    non-square inputs and kernels the self-check never uses."""
    cases = [
        ((17, 9, 5), 7, (3, 2), "valid"),
        ((17, 9, 5), 7, (3, 2), "same"),
        ((6, 6, 2), 3, 6, "valid"),           # the kernel covers the whole input
        ((224, 224, 3), 64, 7, "same"),
        ((12, 30, 16), 1, (1, 5), "valid"),
        ((5, 11, 128), 256, 1, "same"),
    ]
    for (h, w, c), filters, kernel, padding in cases:
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        positions = [(i, j) for i in range(h if padding == "same" else h - kh + 1)
                     for j in range(w if padding == "same" else w - kw + 1)]
        weights_per_filter = kh * kw * c
        expected = (filters * (weights_per_filter + 1), 2 * len(positions) * filters * weights_per_filter)
        out = conv2d_cost((h, w, c), filters, kernel, padding)
        assert len(out) == 2, "hidden test: conv2d_cost does not return a pair (params, flops)"
        got_params, got_flops = (float(v) for v in out)
        assert got_params == expected[0], \
            f"hidden test: wrong number of parameters for a {kh}x{kw} kernel on {h}x{w}x{c} inputs"
        assert got_flops == expected[1], \
            f"hidden test: wrong FLOPs for a {kh}x{kw} kernel on {h}x{w}x{c} inputs, padding {padding!r}"


def ex_trends_3(balanced_class_weights):
    """Weights from collections.Counter, and the totals n / K per class and n overall, on
    labels that are not 0..K-1: gaps, negatives, a single class."""
    from collections import Counter
    from collections.abc import Mapping

    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [
        (rng.permutation(np.r_[np.full(30, 3), np.full(6, 7), np.full(4, 12)]), "labels 3, 7 and 12"),
        (rng.permutation(np.r_[np.full(9, -1), np.full(3, 1)]), "labels -1 and 1"),
        (np.full(8, 2), "a single class"),
        (rng.integers(0, 6, size=500).astype(np.int32), "six classes of random sizes"),
        (np.array([5, 0, 5, 5, 2, 0, 5]), "labels 0, 2 and 5 in no order"),
    ]
    for y, what in cases:
        counts = Counter(y.tolist())
        classes = sorted(counts)
        reference = np.array([len(y) / (len(counts) * counts[c]) for c in classes])
        out = balanced_class_weights(y.copy())
        assert isinstance(out, Mapping), "hidden test: balanced_class_weights does not return a dict"
        keys = {float(key) for key in out}
        assert keys == {float(c) for c in classes}, f"hidden test: the keys are not the classes in y for {what}"
        got = {int(key): float(value) for key, value in out.items()}
        weights = np.array([got[int(c)] for c in classes])
        assert np.allclose(weights, reference, rtol=1e-9), f"hidden test: wrong weights for {what}"
        per_class = weights * np.array([counts[c] for c in classes])
        assert np.allclose(per_class, len(y) / len(classes), rtol=1e-9), \
            f"hidden test: the classes do not carry the same total weight for {what}"
        assert np.isclose(per_class.sum(), len(y), rtol=1e-9), \
            f"hidden test: the weights do not add up to n over the examples for {what}"
