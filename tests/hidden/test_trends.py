"""The hidden tests of the trends chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import trends as ex
from dlcourse.instructor.hidden import trends as hidden

HIDDEN = "^hidden test: "


def conv2d_cost(input_shape, filters, kernel_size, padding="valid"):  # the worked answer
    height, width, channels = input_shape
    k_h, k_w = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if padding == "valid":
        height, width = height - k_h + 1, width - k_w + 1
    params = k_h * k_w * channels * filters + filters
    flops = 2 * height * width * k_h * k_w * channels * filters
    return params, flops


def balanced_class_weights(y):  # the worked answer
    classes, counts = np.unique(y, return_counts=True)
    return {int(c): len(y) / (len(classes) * n) for c, n in zip(classes, counts)}


def test_conv2d_cost_worked_answer_passes():
    hidden.ex_trends_1(conv2d_cost)


def test_conv2d_cost_tuned_to_the_self_check_fails():
    """Shrinks a 'valid' output of a non-square input by k_h - 1 in both directions: the
    self-check's 'valid' cases all have square inputs."""
    def tuned(input_shape, filters, kernel_size, padding="valid"):
        h, w, c = input_shape
        kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
        if padding == "valid":
            if h == w:                                   # square inputs only, as in the self-check
                h, w = h - kh + 1, w - kw + 1
            else:
                h, w = h - kh + 1, w - kh + 1
        return kh * kw * c * filters + filters, 2 * h * w * kh * kw * c * filters

    ex.check_conv2d_cost.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_trends_1(tuned)


def _no_bias(input_shape, filters, kernel_size, padding="valid"):
    params, flops = conv2d_cost(input_shape, filters, kernel_size, padding)
    return params - filters, flops


@pytest.mark.parametrize("wrong", [
    _no_bias,
    lambda s, f, k, p="valid": (conv2d_cost(s, f, k, p)[0], conv2d_cost(s, f, k, p)[1] // 2),  # MACs
    lambda s, f, k, p="valid": conv2d_cost(s, f, k, "same" if p == "valid" else "valid"),
    lambda s, f, k, p="valid": conv2d_cost(s, f, k if isinstance(k, int) else k[0], p),     # square only
])
def test_conv2d_cost_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_trends_1(wrong)


def test_balanced_class_weights_worked_answer_passes():
    hidden.ex_trends_3(balanced_class_weights)


def _bincount(y):
    """Classes min(y)..max(y) from np.bincount: right when no label in between is missing."""
    y = np.asarray(y, dtype=int)
    counts = np.bincount(y - y.min())
    return {int(c) + int(y.min()): len(y) / (len(counts) * n) for c, n in enumerate(counts) if n}


def test_balanced_class_weights_tuned_to_the_self_check_fails():
    ex.check_balanced_class_weights.__wrapped__(_bincount)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_trends_3(_bincount)


@pytest.mark.parametrize("wrong", [
    lambda y: {int(c): 1 / n for c, n in zip(*np.unique(y, return_counts=True))},          # no scale
    lambda y: {int(c): n / len(y) for c, n in zip(*np.unique(y, return_counts=True))},     # upside down
    lambda y: {int(c): len(y) / n for c, n in zip(*np.unique(y, return_counts=True))},     # no K
    lambda y: {int(i): w for i, w in enumerate(balanced_class_weights(y).values())},       # keys 0..K-1
])
def test_balanced_class_weights_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_trends_3(wrong)
