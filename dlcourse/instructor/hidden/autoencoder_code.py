"""Hidden tests of the chapter "An autoencoder, step by step" (see :mod:`dlcourse.instructor.hidden`)."""


def ex_autoencoder_2(entropy_floor):
    """The mean of scipy.special.entr(p) + entr(1 - p) over pixels of other shapes and
    dtypes, with pixels at, and a hair away from, 0 and 1."""
    import numpy as np
    from scipy.special import entr

    rng = np.random.default_rng(20261207)
    edges = np.array([0.0, 1.0, 1e-12, 1 - 1e-12, 0.5, 1e-3])
    cases = [
        (rng.uniform(0.0, 1.0, size=37), 1e-9, "a vector of 37 pixels"),
        (rng.beta(0.3, 0.3, size=(4, 7, 7)), 1e-9, "images of shape (4, 7, 7)"),
        (np.resize(edges, (3, 2, 2, 1)), 1e-9, "pixels at and next to 0 and 1"),
        (np.array([0.5]), 1e-12, "one grey pixel"),
        (np.zeros((2, 3)), 1e-12, "an all-black image"),
        (rng.uniform(0.0, 1.0, size=(5, 10)).astype(np.float32), 1e-5, "float32 pixels"),
    ]
    for x, rtol, what in cases:
        p = x.astype(np.float64)
        expected = float(np.mean(entr(p) + entr(1.0 - p)))
        given = x.copy()
        out = entropy_floor(given)
        assert np.array_equal(given, x), "hidden test: entropy_floor changes x"
        got = np.asarray(out, dtype=float)
        assert got.size == 1, f"hidden test: entropy_floor does not return one number for {what}"
        assert np.isclose(float(got.reshape(())), expected, rtol=rtol, atol=1e-9), \
            f"hidden test: wrong entropy floor for {what}"


def ex_autoencoder_3(mask_noise):
    """Other rates, seeds and shapes: kept pixels exact, the share zeroed and the spread of
    the zeros per image (binomial, so independent pixels) within five standard errors."""
    import numpy as np

    data = np.random.default_rng(20261207)
    x = data.uniform(0.05, 1.0, size=(400, 50))
    n_img, d = x.shape
    for rate, seed in [(0.1, 101), (0.6, 102), (0.9, 103)]:
        given = x.copy()
        out = mask_noise(given, rate, np.random.default_rng(seed))
        assert np.array_equal(given, x), "hidden test: mask_noise changes x in place"
        got = np.asarray(out, dtype=float)
        assert got.shape == x.shape, "hidden test: the result does not have the shape of x"
        assert not np.shares_memory(out, given), "hidden test: mask_noise does not return a new array"
        zero = got == 0.0
        assert np.array_equal(got[~zero], x[~zero]), \
            f"hidden test: at rate {rate} some pixels are neither kept exactly nor zeroed"
        share = zero.mean()
        assert abs(share - rate) < 5 * np.sqrt(rate * (1 - rate) / x.size), \
            f"hidden test: at rate {rate} the share of pixels zeroed is off"
        per_image = zero.sum(axis=1)
        # the count of zeros of an image is Binomial(d, rate): its variance is d rate (1 - rate)
        ratio = per_image.var(ddof=1) / (d * rate * (1 - rate))
        assert 0.6 < ratio < 1.5, \
            f"hidden test: at rate {rate} the pixels are not zeroed independently of each other"
        same_mask = np.mean(zero[:-1] == zero[1:])
        assert abs(same_mask - (rate ** 2 + (1 - rate) ** 2)) < 0.03, \
            f"hidden test: at rate {rate} the images are not masked independently of each other"
    images = data.uniform(0.05, 1.0, size=(6, 5, 4, 3)).astype(np.float32)
    out = np.asarray(mask_noise(images.copy(), 0.4, np.random.default_rng(104)))
    assert out.shape == images.shape, "hidden test: the result does not have the shape of 4-D x"
    zero = out == 0
    assert np.array_equal(out[~zero], images[~zero]) and 0.25 < zero.mean() < 0.55, \
        "hidden test: wrong masking of float32 images of shape (6, 5, 4, 3)"
    with_zeros = np.where(data.random((20, 30)) < 0.5, 0.0, x[:20, :30])
    out = np.asarray(mask_noise(with_zeros.copy(), 0.0, np.random.default_rng(105)), dtype=float)
    assert np.array_equal(out, with_zeros), "hidden test: with rate 0 some pixel changes"
