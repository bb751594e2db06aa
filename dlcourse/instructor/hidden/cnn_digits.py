"""Hidden tests of the CNN-digits chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_cnn_digits_2(conv_output_size):
    """A grid of sizes, kernels, strides and paddings against counting the window positions
    one by one (for "same", after padding as Keras does), and the defaults on other sizes."""
    import numpy as np

    def positions(length, kernel, stride):
        return len(range(0, length - kernel + 1, stride))

    def whole(got):
        return (not isinstance(got, (bool, str)) and np.ndim(got) == 0
                and float(got) == int(float(got)))

    for n in (1, 2, 4, 5, 9, 14, 17, 31):
        for kernel in (1, 2, 3, 4, 6, 7):
            for stride in (1, 2, 3, 4):
                for padding in ("valid", "same", 0, 1, 3):
                    if padding == "same":
                        pad = max((-(-n // stride) - 1) * stride + kernel - n, 0)
                        want = positions(n + pad, kernel, stride)
                    else:
                        p = 0 if padding == "valid" else padding
                        want = positions(n + 2 * p, kernel, stride)
                    got = conv_output_size(n, kernel, stride, padding)
                    assert whole(got), "hidden test: conv_output_size must return a whole number"
                    assert got == want, \
                        "hidden test: conv_output_size is wrong for a case not in the self-check"
    for n, kernel in ((15, 4), (6, 6), (3, 5), (100, 1)):
        got = conv_output_size(n, kernel)
        assert whole(got) and got == positions(n, kernel, 1), \
            "hidden test: conv_output_size with its default stride and padding is wrong"
    assert conv_output_size(15, 4, 2) == positions(15, 4, 2), \
        "hidden test: conv_output_size with its default padding is wrong"


def ex_cnn_digits_3(confusion):
    """Label arrays of other dtypes (uint8 labels with many classes among them), lengths and
    class counts against counting each (true, predicted) pair in a loop; an integer matrix."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = []
    for n, size, dtype in ((40, 500, np.uint8), (2, 9, np.int32), (10, 1, np.int64),
                           (7, 60, np.int16), (30, 300, np.uint8), (4, 25, np.int64)):
        y_true = rng.integers(0, n, size=size).astype(dtype)
        y_pred = np.where(rng.random(size) < 0.6, y_true,
                          rng.integers(0, n, size=size)).astype(dtype)
        cases.append((y_true, y_pred, n))
    cases.append((np.array([3, 3, 3]), np.array([0, 0, 0]), 6))   # most classes never occur
    for y_true, y_pred, n in cases:
        want = np.zeros((n, n), dtype=np.int64)
        for t, p in zip(y_true.tolist(), y_pred.tolist()):
            want[t, p] += 1
        got = np.asarray(confusion(y_true.copy(), y_pred.copy(), n))
        assert got.shape == (n, n), \
            "hidden test: confusion has the wrong shape for a case not in the self-check"
        assert np.issubdtype(got.dtype, np.integer), \
            "hidden test: confusion must return an integer array of counts"
        assert np.array_equal(got, want), \
            "hidden test: confusion has wrong counts for labels not in the self-check"
