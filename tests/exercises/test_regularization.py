"""Checkers of the chapter on regularization: the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception, never output on a failure), and no failure message gives the answer away.

The early-stopping reference is also compared with ``keras.callbacks.EarlyStopping``
itself, driven with the same validation losses."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import ndimage

from dlcourse.exercises import regularization as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails


# ----------------------------------------------------------------------- shift_images


def reference_shift_images(images, dy, dx):
    out = np.zeros_like(images)
    h, w = images.shape[1:]
    out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        images[:, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def roll_and_zero(images, dy, dx):
    """np.roll, then blank the rows and columns that wrapped around."""
    out = np.roll(images, (dy, dx), axis=(1, 2))
    if dy > 0:
        out[:, :dy] = 0
    elif dy < 0:
        out[:, dy:] = 0
    if dx > 0:
        out[:, :, :dx] = 0
    elif dx < 0:
        out[:, :, dx:] = 0
    return out


def scipy_shift(images, dy, dx):
    return np.stack([ndimage.shift(im, (dy, dx), order=0, cval=0.0) for im in images])


def test_shift_reference_passes(capsys):
    ex.check_shift_images(reference_shift_images)
    assert capsys.readouterr().out.strip() == "\u2713 shift_images: Correct!"


@pytest.mark.parametrize("answer", [roll_and_zero, scipy_shift], ids=["roll", "scipy"])
def test_shift_other_correct_answers_pass(answer):
    ex.check_shift_images(answer)


def test_checker_reference_agrees_with_scipy():
    images = np.random.default_rng(0).uniform(size=(3, 8, 8))
    for dy, dx in [(1, 0), (-2, 3), (0, 0), (-1, -1)]:
        np.testing.assert_array_equal(ex._shift_reference(images, dy, dx), scipy_shift(images, dy, dx))


def wraps(images, dy, dx):
    return np.roll(images, (dy, dx), axis=(1, 2))


def backwards(images, dy, dx):
    return reference_shift_images(images, -dy, -dx)


def swapped(images, dy, dx):
    return reference_shift_images(images, dx, dy)


def in_place(images, dy, dx):
    images[...] = reference_shift_images(images, dy, dx)
    return images


def one_image_only(images, dy, dx):
    return reference_shift_images(images, dy, dx)[0]


def halves(images, dy, dx):
    return 0.5 * reference_shift_images(images, dy, dx)


def stub(*args):
    raise NotImplementedError


def crashes(images, dy, dx):
    return images[dy:dx:0]


def returns_nothing(images, dy, dx):
    reference_shift_images(images, dy, dx)


def returns_text(images, dy, dx):
    return "shifted"


@pytest.mark.parametrize("answer,words", [
    (None, "placeholder"),
    (..., "placeholder"),
    (np.full((3, 1, 7), 0.5), "not the result"),
    (stub, "NotImplementedError"),
    (crashes, "ValueError"),
    (returns_nothing, "return statement"),
    (returns_text, "array of numbers"),
    (one_image_only, "shape"),
    (in_place, "in place"),
    (wraps, "wrap-around"),
    (backwards, "wrong way"),
    (swapped, "swapped"),
    (halves, "differ"),
], ids=["none", "ellipsis", "array", "stub", "crash", "no-return", "text", "one-image",
        "in-place", "wraps", "backwards", "swapped", "values"])
def test_shift_refuses_wrong_answers(answer, words, capsys):
    message = _fails(ex.check_shift_images, answer)
    assert words in message, message
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------------- early stopping


def reference_early_stopping(val_losses, patience):
    best, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch + 1, best_epoch
    return len(val_losses), best_epoch


def keras_early_stopping(val_losses, patience):
    """Drive keras.callbacks.EarlyStopping with the losses (no model is trained)."""
    keras = pytest.importorskip("keras")
    state = {"weights": None}
    model = SimpleNamespace(stop_training=False)
    model.get_weights = lambda: state["weights"]
    model.set_weights = lambda w: state.update(restored=w)
    cb = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                       restore_best_weights=True)
    cb.set_model(model)
    cb.on_train_begin()
    epochs = 0
    for epoch, loss in enumerate(val_losses):
        state["weights"] = epoch          # the "weights" of an epoch: its number
        cb.on_epoch_end(epoch, {"val_loss": float(loss)})
        epochs += 1
        if model.stop_training:
            break
    cb.on_train_end()
    return epochs, state["restored"]


def test_checker_cases_follow_keras():
    for losses, patience, what in ex._early_stopping_cases():
        assert ex._early_stopping_reference(losses, patience) == \
            keras_early_stopping(losses, patience), what


def test_early_stopping_reference_passes(capsys):
    ex.check_early_stopping(reference_early_stopping)
    assert capsys.readouterr().out.strip() == "\u2713 early_stopping: Correct!"


def test_early_stopping_keras_itself_passes():
    ex.check_early_stopping(keras_early_stopping)


def test_early_stopping_accepts_lists_and_numpy_ints():
    ex.check_early_stopping(lambda l, p: [np.int64(v) for v in reference_early_stopping(l, p)])
    ex.check_early_stopping(lambda l, p: tuple(float(v) for v in reference_early_stopping(l, p)))


def zero_based_count(val_losses, patience):
    run, best = reference_early_stopping(val_losses, patience)
    return run - 1, best


def one_late(val_losses, patience):
    return reference_early_stopping(val_losses, patience + 1)


def last_epoch(val_losses, patience):
    run, _ = reference_early_stopping(val_losses, patience)
    return run, run - 1


def ties_count(val_losses, patience):
    run, _ = reference_early_stopping(val_losses, patience)
    seen = list(val_losses[:run])
    return run, len(seen) - 1 - int(np.argmin(seen[::-1]))


def global_best(val_losses, patience):
    run, _ = reference_early_stopping(val_losses, patience)
    return run, int(np.argmin(val_losses))   # looks into the future


def one_number(val_losses, patience):
    return reference_early_stopping(val_losses, patience)[0]


def triple(val_losses, patience):
    return (*reference_early_stopping(val_losses, patience), 0)


def strings(val_losses, patience):
    return tuple(str(v) for v in reference_early_stopping(val_losses, patience))


def never_stops(val_losses, patience):
    return len(val_losses), int(np.argmin(val_losses))


@pytest.mark.parametrize("answer,words", [
    (None, "placeholder"),
    (..., "placeholder"),
    ([0.5, 0.4], "not the result"),
    (stub, "NotImplementedError"),
    (lambda l, p: l[100], "IndexError"),
    (lambda l, p: None, "return statement"),
    (one_number, "pair"),
    (triple, "pair"),
    (strings, "whole number"),
    (lambda l, p: (True, 0), "whole number"),
    (zero_based_count, "one too small"),
    (one_late, "one too large"),
    (never_stops, "not when EarlyStopping stops"),
    (last_epoch, "last epoch"),
    (ties_count, "equal to the best"),
    (global_best, "must be one of the epochs"),
], ids=["none", "ellipsis", "list", "stub", "crash", "returns-none", "one-number", "triple",
        "strings", "bool", "zero-based", "one-late", "never-stops", "last-epoch", "ties",
        "future"])
def test_early_stopping_refuses_wrong_answers(answer, words, capsys):
    message = _fails(ex.check_early_stopping, answer)
    assert words in message, message
    assert capsys.readouterr().out == ""
