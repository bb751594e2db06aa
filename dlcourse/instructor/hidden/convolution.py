"""Hidden tests of the convolution chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_convolution_2(receptive_field):
    """Random stacks (kernels 1-7, strides 1-4) against the window of one output unit traced
    back to the input: unit i of a layer reads inputs s*i to s*i + k - 1 of the one below."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    stacks = [[(int(k), int(s)) for k, s in zip(rng.integers(1, 8, size=n),
                                                  rng.integers(1, 5, size=n))]
              for n in rng.integers(1, 7, size=40)]
    stacks += [[(1, 4)], [(4, 4), (4, 4)], [(2, 2)] * 5, [(5, 1), (1, 2), (3, 3)]]
    for layers in stacks:
        lo, hi = 0, 0                      # one unit of the last layer
        for k, s in reversed(layers):
            lo, hi = lo * s, hi * s + k - 1
        got = receptive_field([tuple(layer) for layer in layers])
        assert not isinstance(got, (bool, str)) and np.ndim(got) == 0, \
            "hidden test: receptive_field must return one whole number"
        assert got == hi - lo + 1, \
            "hidden test: receptive_field is wrong for a stack of layers not in the self-check"


def ex_convolution_3(param_counts):
    """The four counts against the parameters of dlcourse.conv.Conv2D layers and dense weight
    matrices on the shapes an all-zero 28x28x1 image takes through the engine's layers."""
    import numbers

    import numpy as np

    from dlcourse import conv

    assert isinstance(param_counts, (tuple, list)) and len(param_counts) == 4, \
        "hidden test: param_counts must be a tuple of four counts"
    for v in param_counts:
        assert isinstance(v, numbers.Real) and not isinstance(v, bool), \
            "hidden test: each entry of param_counts must be a number, not text or a bool"
    x = np.zeros((1, 28, 28, 1))
    want = []
    for filters in (32, 64):
        layer = conv.Conv2D(x.shape[-1], filters, kernel_size=3, rng=0)
        want.append(sum(p.size for p in layer.params.values()))
        x = conv.max_pool2d(layer.forward(x), size=2)
    flat = int(np.prod(x.shape[1:]))
    want += [(flat + 1) * 128, (128 + 1) * 10]
    for name, got, w in zip(("conv_1", "conv_2", "dense", "output"), param_counts, want):
        assert got == w, f"hidden test: the count for {name} disagrees with the layers' parameters"


def ex_convolution_4(max_pool_2x2):
    """Shapes, dtypes and signs the self-check does not use (odd sides, integers, float32,
    all-negative, a strided view) against a loop over the 2x2 windows."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    images = [rng.normal(size=(9, 11)), rng.normal(size=(3, 3)), rng.normal(size=(2, 10)),
              rng.normal(size=(12, 5)).astype(np.float32),
              -np.abs(rng.normal(size=(7, 6))) - 1.0,
              rng.integers(-50, 50, size=(6, 9)),
              rng.normal(size=(10, 14))[::2, 1::2], rng.normal(size=(13, 4)).T]
    for image in images:
        reference = image.copy()
        h, w = image.shape[0] // 2, image.shape[1] // 2
        want = np.empty((h, w))
        for i in range(h):
            for j in range(w):
                want[i, j] = max(float(v) for v in image[2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel())
        got = max_pool_2x2(image.copy() if image.flags.c_contiguous else image)
        assert np.array_equal(image, reference), "hidden test: max_pool_2x2 modifies its input"
        got = np.asarray(got)
        assert got.shape == (h, w), \
            "hidden test: max_pool_2x2 returns the wrong shape for an image not in the self-check"
        assert np.allclose(got.astype(float), want, rtol=1e-6, atol=1e-7), \
            "hidden test: max_pool_2x2 has wrong values for an image not in the self-check"
