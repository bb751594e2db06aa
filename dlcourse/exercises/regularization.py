"""Checkers of the chapter on regularization (``book/algorithms/regularization.ipynb``).

Expected values are recomputed when a checker runs: shifted images by slicing, and
the epochs of early stopping by the rule of ``keras.callbacks.EarlyStopping`` (Keras
3, ``mode="min"``, ``min_delta=0``, ``restore_best_weights=True``). Nothing here stores
an answer a student could read, and no failure message contains one.
"""

from __future__ import annotations

import warnings

import numpy as np

from .checking import ExerciseFailed, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_shift_images", "check_early_stopping"]


# ----------------------------------------------------------------------- shift_images


def _shift_reference(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Content moves dy rows down and dx columns right; vacated pixels are 0."""
    n, h, w = images.shape
    out = np.zeros_like(images)
    if abs(dy) >= h or abs(dx) >= w:
        return out
    src_r = slice(max(-dy, 0), h - max(dy, 0))
    dst_r = slice(max(dy, 0), h - max(-dy, 0))
    src_c = slice(max(-dx, 0), w - max(dx, 0))
    dst_c = slice(max(dx, 0), w - max(-dx, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out


def _shift_cases():
    rng = np.random.default_rng(2024)
    images = rng.uniform(0.05, 1.0, size=(5, 8, 8))  # no zeros: every moved pixel shows
    return images, [(1, 0), (0, -1), (-2, 1), (0, 0), (3, -3), (-1, -1)]


@checker(hints=[
        "A shift moves pixels; the pixels that come in from outside the image are zero.",
        "Start from zeros of the same shape and copy the block of the input that overlaps"
        " the shifted position.",
        "Work out the row and column ranges for positive and negative shifts separately. "
        "NumPy's roll alone wraps pixels around the border, which is not what is asked.",
    ])
def check_shift_images(shift_images):
    """``shift_images(images, dy, dx)``: (n, 8, 8) images moved dy down, dx right, zero fill."""
    _require_function(shift_images, "shift_images")
    images, cases = _shift_cases()
    for dy, dx in cases:
        given = images.copy()
        out = _call(shift_images, given, dy, dx)
        expect(out is not None, "shift_images returned None: did you forget the return statement?")
        try:
            got = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"shift_images should return an array of numbers; it returned a {type(out).__name__}."
            ) from None
        expect(got.shape == images.shape,
               f"shift_images(images, {dy}, {dx}) returned shape {got.shape} for images of shape "
               f"{images.shape}; the result must have the shape of the input.")
        expect(np.array_equal(given, images), "shift_images changed its input in place; work on a copy.")
        want = _shift_reference(images, dy, dx)
        if np.allclose(got, want, rtol=0, atol=1e-12):
            continue
        if np.allclose(got, np.roll(images, (dy, dx), axis=(1, 2)), rtol=0, atol=1e-12):
            msg = "pixels pushed over one border come back at the other (wrap-around); fill with 0 instead"
        elif np.allclose(got, _shift_reference(images, -dy, -dx), rtol=0, atol=1e-12):
            msg = "the image moves the wrong way: positive dy moves it down, positive dx to the right"
        elif np.allclose(got, _shift_reference(images, dx, dy), rtol=0, atol=1e-12):
            msg = "rows and columns are swapped: dy moves along the first image axis (rows)"
        else:
            msg = "the pixel values differ from the shifted image"
        raise ExerciseFailed(f"shift_images(images, dy={dy}, dx={dx}): {msg}.")


# ---------------------------------------------------------------------- early stopping


def _early_stopping_reference(losses, patience: int) -> tuple[int, int]:
    """(epochs run, 0-based epoch whose weights are restored), Keras 3's rule."""
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, value in enumerate(losses):
        wait += 1
        if value < best:
            best, best_epoch, wait = value, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch + 1, best_epoch
    return len(losses), best_epoch


def _early_stopping_cases():
    """(validation losses, patience, what the case is)."""
    rng = np.random.default_rng(7)
    u_shape = [1.0 / (1 + e) + 0.002 * e * e / 10 for e in range(40)]
    noisy = list(1.0 - 0.02 * np.arange(30) + rng.normal(0, 0.03, 30))
    return [
        ([0.9, 0.7, 0.6, 0.65, 0.66, 0.7, 0.71, 0.8], 3, "a loss that turns up after epoch 2"),
        ([0.5, 0.4, 0.3, 0.2, 0.1], 2, "a loss that falls at every epoch"),
        ([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 2, "a constant loss (equal is not better)"),
        ([0.8, 0.6, 0.61, 0.62, 0.59, 0.63, 0.64, 0.65, 0.66], 3,
         "a loss that improves again just before patience runs out"),
        ([0.8, 0.6, 0.61, 0.62, 0.63, 0.55, 0.7], 3,
         "a loss that improves only after patience has run out"),
        (u_shape, 5, "a U-shaped curve of 40 epochs"),
        (noisy, 4, "a noisy, falling curve"),
        ([0.3, 0.4, 0.5], 1, "patience 1"),
    ]


def _as_pair(out) -> tuple[int, int]:
    expect(out is not None, "early_stopping returned None: did you forget the return statement?")
    expect(isinstance(out, (tuple, list)) and len(out) == 2,
           f"early_stopping should return a pair (epochs_run, best_epoch); it returned "
           f"{type(out).__name__}" + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else "") + ".")
    values = []
    for name, v in zip(("epochs_run", "best_epoch"), out):
        ok = isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
        if not ok and isinstance(v, (float, np.floating)) and float(v).is_integer():
            v, ok = int(v), True
        expect(ok, f"{name} should be a whole number; received {type(v).__name__} {v!r}.")
        values.append(int(v))
    return values[0], values[1]


@checker(hints=[
        "Follow keras.callbacks.EarlyStopping: it watches how long it has been since the "
        "best validation loss.",
        "Keep the best loss so far and the number of epochs since it; only a loss "
        "strictly below the best resets the count.",
        "Training stops at the first epoch where the count reaches the patience. Epochs "
        "are numbered from zero, so the number of epochs run is one more than the last "
        "epoch's number.",
    ])
def check_early_stopping(early_stopping):
    """``early_stopping(val_losses, patience) -> (epochs_run, best_epoch)``."""
    _require_function(early_stopping, "early_stopping")
    for losses, patience, what in _early_stopping_cases():
        given = list(losses)
        out = _call(early_stopping, given, patience)
        run, best = _as_pair(out)
        want_run, want_best = _early_stopping_reference(losses, patience)
        where = f"on {what} (patience={patience})"
        if run == want_run - 1 and best == want_best:
            raise ExerciseFailed(f"{where}, epochs_run is one too small: it counts epochs, "
                                 f"and the epoch at which training stops has run.")
        if run == want_run + 1 and best == want_best:
            raise ExerciseFailed(f"{where}, epochs_run is one too large: check when the "
                                 f"counter reaches patience.")
        expect(run == want_run, f"{where}, epochs_run is not when EarlyStopping stops training.")
        expect(0 <= best < run, f"{where}, best_epoch must be one of the epochs that ran "
                                f"(0 to epochs_run - 1).")
        if best != want_best:
            last_min = len(losses[:run]) - 1 - int(np.argmin(np.asarray(losses[:run])[::-1]))
            if best == last_min:
                msg = "a loss equal to the best is not an improvement: keep the first epoch that reached it"
            elif best == run - 1:
                msg = "best_epoch is the last epoch that ran, but restore_best_weights restores the best one"
            else:
                msg = "best_epoch is not the epoch with the lowest validation loss"
            raise ExerciseFailed(f"{where}: {msg}.")
