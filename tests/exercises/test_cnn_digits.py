"""Checkers of "A CNN for handwritten digits": the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception), and no failure message gives the answer away."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcourse import conv
from dlcourse.exercises import cnn_digits as ex

from .helpers import JUNK, fails

CHECKERS = [ex.check_conv_output_size, ex.check_confusion]


def conv_output_size(n, kernel, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    return max((n + 2 * p - kernel) // stride + 1, 0)


def confusion(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts


# ----------------------------------------------------------------------------- passes


def test_reference_answers_pass(capsys):
    assert ex.check_conv_output_size(conv_output_size) is None
    assert ex.check_confusion(confusion) is None
    out = capsys.readouterr().out.splitlines()
    assert out == ["\u2713 conv_output_size: Correct!", "\u2713 confusion: Correct!"]


@pytest.mark.parametrize("n, kernel, stride, padding", ex._SIZE_CASES)
def test_the_checkers_sizes_match_dlcourse_conv(n, kernel, stride, padding):
    """The checker's own formula agrees with dlcourse.conv.conv2d (which matches TF)."""
    want = ex._output_size(n, kernel, stride, padding)
    if want == 0:
        with pytest.raises(ValueError):
            conv.conv2d(np.zeros((1, n, n, 1)), np.zeros((kernel, kernel, 1, 1)),
                        stride=stride, padding=padding)
        return
    out = conv.conv2d(np.zeros((1, n, n, 1)), np.zeros((kernel, kernel, 1, 1)),
                      stride=stride, padding=padding)
    assert out.shape[1] == want


def test_confusion_from_sklearn_passes():
    from sklearn.metrics import confusion_matrix

    def with_sklearn(y_true, y_pred, n_classes):
        return confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))

    assert ex.check_confusion(with_sklearn) is None


# ----------------------------------------------------------------------------- failures


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_and_stubs_fail(check):
    for stub in (None, ...):
        assert "placeholder" in fails(check, stub)

    def not_done(*args, **kwargs):
        raise NotImplementedError

    assert "NotImplementedError" in fails(check, not_done)


def test_size_mistakes_are_named_without_the_answer():
    def ignores_stride(n, kernel, stride=1, padding="valid"):
        return conv_output_size(n, kernel, 1, padding)

    def same_keeps_kernel(n, kernel, stride=1, padding="valid"):
        if padding == "same":
            return (n - 1) // stride + 1 - (kernel - 1)
        return conv_output_size(n, kernel, stride, padding)

    def negative(n, kernel, stride=1, padding="valid"):
        p = 0 if padding in ("valid", "same") else padding
        if padding == "same":
            return math.ceil(n / stride)
        return (n + 2 * p - kernel) // stride + 1

    def float_division(n, kernel, stride=1, padding="valid"):
        return conv_output_size(n, kernel, stride, padding) + 0.5

    def no_defaults(n, kernel, stride, padding):
        return conv_output_size(n, kernel, stride, padding)

    message = fails(ex.check_conv_output_size, ignores_stride)
    assert "wrong size for n=26, kernel=2, stride=2, padding='valid'" in message
    assert "13" not in message.split("\nHint:")[0]
    assert "ceil(n / stride)" in fails(ex.check_conv_output_size, same_keeps_kernel)
    assert "does not fit" in fails(ex.check_conv_output_size, negative)
    assert "whole number" in fails(ex.check_conv_output_size, float_division)
    assert "TypeError" in fails(ex.check_conv_output_size, no_defaults)


def test_confusion_mistakes_are_named_without_the_answer():
    def transposed(y_true, y_pred, n_classes):
        return confusion(y_true, y_pred, n_classes).T

    def fancy_index(y_true, y_pred, n_classes):       # counts each (i, j) pair only once
        counts = np.zeros((n_classes, n_classes), dtype=int)
        counts[y_true, y_pred] += 1
        return counts

    def seen_classes_only(y_true, y_pred, n_classes):
        k = int(max(y_true.max(), y_pred.max())) + 1
        return confusion(y_true, y_pred, k)

    assert "swapped" in fails(ex.check_confusion, transposed)
    message = fails(ex.check_confusion, fancy_index)
    assert "counted exactly once" in message and "200 examples" in message
    assert "expected shape (5, 5)" in fails(ex.check_confusion, seen_classes_only)
    assert "expected shape (10, 10)" in fails(ex.check_confusion, lambda t, p, n: np.zeros(n))
