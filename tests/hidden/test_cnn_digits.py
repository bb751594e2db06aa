"""The hidden tests of the CNN-digits chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import cnn_digits as ex
from dlcourse.instructor.hidden import cnn_digits as hidden

HIDDEN = "^hidden test: "


def conv_output_size(n, kernel, stride=1, padding="valid"):  # the worked answer
    if padding == "same":
        return -(-n // stride)
    p = 0 if padding == "valid" else padding
    return max((n + 2 * p - kernel) // stride + 1, 0)


def confusion(y_true, y_pred, n_classes):  # the worked answer
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


def test_conv_output_size_worked_answer_passes():
    hidden.ex_cnn_digits_2(conv_output_size)


def test_conv_output_size_tuned_to_the_self_check_fails():
    """Right on the self-check's cases; elsewhere forgets the first window position."""
    known = {case for case in ex._SIZE_CASES} | {(28, 3, 1, "valid")}

    def tuned(n, kernel, stride=1, padding="valid"):
        if (n, kernel, stride, padding) in known:
            return conv_output_size(n, kernel, stride, padding)
        return max(conv_output_size(n, kernel, stride, padding) - 1, 0)

    ex.check_conv_output_size.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_digits_2(tuned)


def _ceil_steps(n, kernel, stride=1, padding="valid"):  # counts a partial last window
    if padding == "same":
        return -(-n // stride)
    p = 0 if padding == "valid" else padding
    return max(-(-(n + 2 * p - kernel) // stride) + 1, 0)


@pytest.mark.parametrize("wrong", [
    _ceil_steps,
    lambda n, kernel, stride=1, padding="valid": (
        n if padding == "same" else conv_output_size(n, kernel, stride, padding)),
    lambda n, kernel, stride=2, padding="valid": conv_output_size(n, kernel, stride, padding),
])
def test_conv_output_size_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_digits_2(wrong)


def test_confusion_worked_answer_passes():
    hidden.ex_cnn_digits_3(confusion)


def test_confusion_of_floats_fails():
    """np.histogram2d gets the counts right but as floats, which the self-check accepts."""
    def tuned(y_true, y_pred, n_classes):
        counts, _, _ = np.histogram2d(y_true, y_pred, bins=n_classes,
                                      range=[[-0.5, n_classes - 0.5]] * 2)
        return counts

    ex.check_confusion.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_digits_3(tuned)


def test_confusion_that_overflows_small_labels_fails():
    """Flat indices y_true * n + y_pred, computed in the labels' own dtype, pass the
    self-check's int64 labels but wrap around for uint8 labels with many classes."""
    def tuned(y_true, y_pred, n_classes):
        flat = y_true * y_true.dtype.type(n_classes) + y_pred
        return np.bincount(flat, minlength=n_classes ** 2)[: n_classes ** 2].reshape(
            n_classes, n_classes)

    ex.check_confusion.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_digits_3(tuned)


def _fancy_index(y_true, y_pred, n_classes):  # counts a repeated pair only once
    counts = np.zeros((n_classes, n_classes), dtype=int)
    counts[y_true, y_pred] += 1
    return counts


@pytest.mark.parametrize("wrong", [
    _fancy_index,
    lambda y_true, y_pred, n_classes: confusion(y_pred, y_true, n_classes),   # transposed
])
def test_confusion_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_digits_3(wrong)
