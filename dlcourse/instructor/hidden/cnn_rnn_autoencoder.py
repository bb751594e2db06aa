"""Hidden tests of the CNN/RNN-autoencoder chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_cnn_rnn_autoencoder_2(conv_params):
    """Kernel sizes, channels and filters the self-check does not use against the sizes of
    the kernel and bias of a dlcourse.conv.Conv2D layer built with them."""
    import numpy as np

    from dlcourse import conv

    rng = np.random.default_rng(20261207)
    cases = [(int(k), int(c), int(f)) for k, c, f in zip(rng.integers(1, 8, size=12),
                                                           rng.integers(1, 65, size=12),
                                                           rng.integers(1, 65, size=12))]
    cases += [(4, 1, 1), (7, 3, 64), (1, 1, 1), (6, 12, 2)]
    for k, c_in, filters in cases:
        layer = conv.Conv2D(c_in, filters, kernel_size=k, rng=0)
        want = sum(p.size for p in layer.params.values())
        got = conv_params(k, c_in, filters)
        assert not isinstance(got, (bool, str)) and np.ndim(got) == 0, \
            "hidden test: conv_params must return one whole number"
        assert got == want, \
            "hidden test: conv_params is wrong for a layer not in the self-check"
