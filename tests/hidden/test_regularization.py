"""The hidden tests of the regularization chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import regularization as ex
from dlcourse.instructor.hidden import regularization as hidden
from exercises.test_regularization import reference_early_stopping as early_stopping  # the worked answer

HIDDEN = "^hidden test: "


def shift_images(images, dy, dx):  # the worked answer
    images = np.asarray(images)
    out = np.zeros_like(images)
    h, w = images.shape[1:]
    if abs(dy) >= h or abs(dx) >= w:  # moved out of the frame entirely
        return out
    rows_to, rows_from = slice(max(dy, 0), h + min(dy, 0)), slice(max(-dy, 0), h + min(-dy, 0))
    cols_to, cols_from = slice(max(dx, 0), w + min(dx, 0)), slice(max(-dx, 0), w + min(-dx, 0))
    out[:, rows_to, cols_to] = images[:, rows_from, cols_from]
    return out


def test_shift_images_worked_answer_passes():
    hidden.ex_regularization_2(shift_images)


def test_shift_images_that_fails_past_the_whole_image_fails():
    """The slicing answer without its guard: right for every shift the self-check tries, a
    broadcast error (or a wrong array) once a shift is as large as the image."""
    def unguarded(images, dy, dx):
        images = np.asarray(images)
        out = np.zeros_like(images)
        h, w = images.shape[1:]
        rows_to, rows_from = slice(max(dy, 0), h + min(dy, 0)), slice(max(-dy, 0), h + min(-dy, 0))
        cols_to, cols_from = slice(max(dx, 0), w + min(dx, 0)), slice(max(-dx, 0), w + min(-dx, 0))
        out[:, rows_to, cols_to] = images[:, rows_from, cols_from]
        return out

    ex.check_shift_images.__wrapped__(unguarded)
    with pytest.raises((AssertionError, ValueError)):
        hidden.ex_regularization_2(unguarded)


def test_shift_images_by_the_self_checks_reference_passes():
    hidden.ex_regularization_2(lambda images, dy, dx: ex._shift_reference(np.asarray(images), dy, dx))


def test_shift_images_wrong_in_a_quadrant_the_self_check_skips_fails():
    """Four branches, one per sign pair; the down-and-right one (never checked) wraps."""
    def tuned(images, dy, dx):
        if dy > 0 and dx > 0:
            return np.roll(images, (dy, dx), axis=(1, 2))
        return shift_images(images, dy, dx)

    ex.check_shift_images.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_regularization_2(tuned)


def test_shift_images_with_zero_shift_left_out_fails():
    """Blank when one shift is 0 (as ``images[:, :-dy]`` is for dy = 0), except on the
    self-check's three such shifts, which it recognises."""
    def tuned(images, dy, dx):
        if (dy, dx) in {(0, 0), (1, 0), (0, -1)} or (dy and dx):
            return shift_images(images, dy, dx)
        return np.zeros_like(images)

    ex.check_shift_images.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_regularization_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda images, dy, dx: np.roll(images, (dy, dx), axis=(1, 2)),     # wraps around
    lambda images, dy, dx: shift_images(images, dx, dy),              # rows and columns swapped
    lambda images, dy, dx: shift_images(images, -dy, -dx),            # the wrong way
])
def test_shift_images_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_regularization_2(wrong)


def test_early_stopping_worked_answer_passes():
    hidden.ex_regularization_3(early_stopping)


def test_early_stopping_by_the_self_checks_reference_passes():
    hidden.ex_regularization_3(ex._early_stopping_reference)


def test_early_stopping_tuned_to_the_self_check_fails():
    """Right on the self-check's curves, which it recognises by their length; counts an
    equal loss as an improvement otherwise."""
    lengths = {len(losses) for losses, _, _ in ex._early_stopping_cases()}

    def tuned(val_losses, patience):
        if len(val_losses) in lengths:
            return early_stopping(val_losses, patience)
        best, best_epoch, wait = float("inf"), 0, 0
        for epoch, loss in enumerate(val_losses):
            if loss <= best:
                best, best_epoch, wait = loss, epoch, 0
            else:
                wait += 1
                if wait >= patience:
                    return epoch + 1, best_epoch
        return len(val_losses), best_epoch

    ex.check_early_stopping.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_regularization_3(tuned)


def _reset_only_on_new_best_value(val_losses, patience):
    """Counts from the epoch of the best *value* (the last epoch that reached it)."""
    best = float("inf")
    for epoch, loss in enumerate(val_losses):
        best = min(best, loss)
        last = max(i for i, v in enumerate(val_losses[:epoch + 1]) if v == best)
        if epoch - last >= patience:
            return epoch + 1, last
    return len(val_losses), max(i for i, v in enumerate(val_losses) if v == best)


@pytest.mark.parametrize("wrong", [
    lambda val_losses, patience: early_stopping(val_losses, patience + 1),   # off by one
    lambda val_losses, patience: (early_stopping(val_losses, patience)[0],
                                  early_stopping(val_losses, patience)[0] - 1),  # last epoch
    _reset_only_on_new_best_value,
])
def test_early_stopping_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_regularization_3(wrong)
