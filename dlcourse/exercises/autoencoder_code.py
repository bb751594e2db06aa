r"""Checkers of the chapter "An autoencoder, step by step" (``book/code/autoencoder.ipynb``).

- :func:`check_entropy_floor`: the smallest value the binary cross-entropy of a
  reconstruction of ``x`` can take, the mean binary entropy of its pixels,
  :math:`\frac1P \sum_p -[x_p \log x_p + (1 - x_p)\log(1 - x_p)]` with
  :math:`0 \log 0 = 0`.
- :func:`check_mask_noise`: masking noise (Vincent et al., 2008), each pixel set to 0
  independently with probability ``rate``. The check is statistical (which pixels
  are zeroed depends on how the random numbers are drawn), on properties any correct
  answer has: the shape, pixels either kept or zeroed, the share zeroed, the use of
  the generator passed in, and an untouched input.

Expected values are recomputed when a checker runs, and no failure message contains
one.
"""

from __future__ import annotations

import warnings

import numpy as np

from .checking import ExerciseFailed, as_array, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_entropy_floor", "check_mask_noise"]


def _returned(out, name: str) -> np.ndarray:
    __tracebackhide__ = True
    expect(out is not None, f"{name} returned None: did you forget `return`?")
    return as_array(out, name)


# ------------------------------------------------------------------- entropy floor


def _entropy_floor(x: np.ndarray) -> float:
    """Mean binary entropy of the pixels, in nats, with 0 log 0 = 0."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(np.where(x > 0, x * np.log(x), 0.0)
              + np.where(x < 1, (1 - x) * np.log(1 - x), 0.0))
    return float(h.mean())


def _floor_cases():
    rng = np.random.default_rng(21)
    grey = rng.uniform(0.0, 1.0, size=(6, 64))
    digits_like = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(5, 8, 8, 1))
    digits_like[0, 0, 0, 0], digits_like[0, 0, 1, 0] = 0.0, 1.0   # both ends occur
    return [(grey, "grey pixels of shape (6, 64)"),
            (digits_like, "images of shape (5, 8, 8, 1) with pixels 0, 0.25, ..., 1"),
            (np.array([[0.0, 1.0, 1.0, 0.0]]), "an image with only black and white pixels")]


@checker(
    hints=[
        "A reconstruction cannot do better than reproducing each pixel exactly: what is "
        "the cross-entropy of a pixel against itself?",
        "The binary cross-entropy of a value against itself is that value's binary "
        "entropy. Use natural logarithms, as Keras does.",
        "Compute the binary entropy of every pixel, counting a pixel of exactly zero or "
        "one as contributing nothing (NumPy's where, or SciPy's xlogy), and return the "
        "mean over all pixels of all images as one float.",
    ]
)
def check_entropy_floor(entropy_floor):
    """Check ``entropy_floor(x) -> float``: the smallest mean BCE a reconstruction of x can have."""
    _require_function(entropy_floor, "entropy_floor")
    for x, what in _floor_cases():
        original = x.copy()
        out = _call(entropy_floor, x)
        expect(np.array_equal(x, original), "entropy_floor must not change x.")
        expect(out is not None, "entropy_floor returned None: did you forget `return`?")
        try:
            arr = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            arr = None
        expect(arr is not None and arr.size >= 1 and not isinstance(out, (bool, str)),
               f"entropy_floor must return a number; for {what} it returned a "
               f"{type(out).__name__}.")
        if arr.size != 1:
            raise ExerciseFailed(
                f"for {what} you returned {arr.size} numbers: average the entropies over "
                f"every pixel of every image and return a single number.")
        got = float(arr.reshape(()))
        if np.isnan(got):
            raise ExerciseFailed(
                f"for {what} the result is nan: a pixel of exactly 0 or 1 gives 0 * log 0; "
                f"its entropy is 0, so count that term as 0.")
        expect(np.isfinite(got), f"for {what} the result is infinite.")
        want = _entropy_floor(x)
        if np.isclose(got, want, rtol=1e-6, atol=1e-9):
            continue
        if want > 0 and np.isclose(got, want / np.log(2), rtol=1e-6):
            raise ExerciseFailed(
                f"for {what} your value is in bits: Keras's binary cross-entropy uses "
                f"natural logarithms (np.log), not np.log2.")
        if want > 0 and np.isclose(got, want * x.size, rtol=1e-6):
            raise ExerciseFailed(f"for {what} you summed over the pixels: take the mean.")
        if want > 0 and np.isclose(got, -want, rtol=1e-6):
            raise ExerciseFailed(f"for {what} the sign is wrong: an entropy is never negative.")
        raise ExerciseFailed(f"for {what} the value is wrong.")


# ------------------------------------------------------------------ masking noise


def _noisy(fn, x, rate, seed, what):
    original = x.copy()
    out = _call(fn, x, rate, np.random.default_rng(seed))
    expect(np.array_equal(x, original),
           "mask_noise must not change x in place: return a new array.")
    got = _returned(out, f"mask_noise(x, {rate}, rng)")
    expect(got.shape == x.shape,
           f"for {what} the result has shape {got.shape}; it must have the shape of x, "
           f"{x.shape}.")
    return got


@checker(
    hints=[
        "Masking noise decides, pixel by pixel and at random, whether to keep the pixel "
        "or set it to zero.",
        "Use the generator you are given for one uniform draw per pixel, and compare each"
        " draw with the rate.",
        "Return a new array: pixels whose draw falls below the rate become zero, the "
        "others keep their value unchanged (no rescaling, unlike inverted dropout).",
    ]
)
def check_mask_noise(mask_noise):
    """Check ``mask_noise(x, rate, rng)``: each pixel zeroed with probability ``rate``."""
    _require_function(mask_noise, "mask_noise")
    # no pixel is 0 to start with, so a zero in the output is a masked pixel
    x = np.random.default_rng(31).uniform(0.05, 1.0, size=(200, 64))
    rate = 0.25
    what = f"x of shape {x.shape} and rate = {rate}"
    got = _noisy(mask_noise, x, rate, 5, what)
    masked = np.isclose(got, 0.0)
    kept = ~masked
    if kept.any() and np.allclose(got[kept], x[kept] / (1 - rate), rtol=1e-6):
        raise ExerciseFailed(
            "you scaled the kept pixels by 1 / (1 - rate): that is inverted dropout. "
            "Masking noise leaves the kept pixels as they are.")
    expect(np.allclose(got[kept], x[kept], rtol=1e-6, atol=1e-9),
           "every pixel of the result must be either the pixel of x or 0; some are "
           "neither.")
    share = masked.mean()
    if abs(share - (1 - rate)) < 0.02:
        raise ExerciseFailed(
            f"for {what} about {share:.0%} of the pixels are zeroed, but each pixel "
            f"should be zeroed with probability rate: you zeroed with probability "
            f"1 - rate.")
    # 12,800 pixels: the share zeroed has a standard deviation of about 0.004
    expect(abs(share - rate) < 0.02,
           f"for {what} {share:.1%} of the pixels are zeroed; each pixel should be zeroed "
           f"independently with probability rate.")
    expect(not np.all(masked.all(axis=1) | kept.all(axis=1)),
           "you zeroed whole images at a time: draw one random number per pixel.")
    expect(not np.all(masked == masked[:1]),
           "every image has the same pixels zeroed: draw one random number per pixel, "
           "for every image.")
    again = _noisy(mask_noise, x, rate, 5, what)
    other = _noisy(mask_noise, x, rate, 6, what)
    expect(np.array_equal(again, got) and not np.array_equal(other, got),
           "the result must depend only on x, rate and the generator rng passed in: draw "
           "the random numbers with rng (rng.random, rng.uniform, ...), not with "
           "np.random.")
    expect(np.allclose(_noisy(mask_noise, x, 0.0, 5, "rate = 0"), x, rtol=1e-6, atol=0),
           "with rate = 0 no pixel may change.")
    expect(np.all(np.isclose(_noisy(mask_noise, x, 1.0, 5, "rate = 1"), 0.0)),
           "with rate = 1 every pixel must be zeroed.")
    images = np.random.default_rng(32).uniform(0.05, 1.0, size=(10, 8, 8, 1))
    got = _noisy(mask_noise, images, 0.5, 7, "images of shape (10, 8, 8, 1)")
    zero = np.isclose(got, 0.0)
    expect(np.allclose(got[~zero], images[~zero]) and 0.3 < zero.mean() < 0.7,
           "for images of shape (10, 8, 8, 1) and rate = 0.5 the result is wrong: the "
           "function must work for any shape of x.")
