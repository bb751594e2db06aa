"""The hidden tests of the convolution chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import convolution as ex
from dlcourse.instructor.hidden import convolution as hidden

HIDDEN = "^hidden test: "


def receptive_field(layers):  # the worked answer
    r, jump = 1, 1
    for k, s in layers:
        r += (k - 1) * jump
        jump *= s
    return r


def max_pool_2x2(image):  # the worked answer
    h, w = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    windows = image[:h, :w].reshape(h // 2, 2, w // 2, 2)
    return windows.max(axis=(1, 3))


conv_1 = 3 * 3 * 1 * 32 + 32  # the worked answer
conv_2 = 3 * 3 * 32 * 64 + 64
side = ((28 - 3 + 1) // 2 - 3 + 1) // 2
PARAM_COUNTS = (conv_1, conv_2, side * side * 64 * 128 + 128, 128 * 10 + 10)


def test_receptive_field_worked_answer_passes():
    hidden.ex_convolution_2(receptive_field)


def test_receptive_field_tuned_to_the_self_check_fails():
    """Right on the self-check's stacks, which it recognises; ignores strides elsewhere."""
    known = [[tuple(layer) for layer in layers] for layers, _ in ex._FIELD_CASES]

    def tuned(layers):
        if list(layers) in known:
            return receptive_field(layers)
        return 1 + sum(k - 1 for k, _ in layers)

    ex.check_receptive_field.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_convolution_2(tuned)


def _jump_first(layers):  # multiplies the jump before widening the field
    r, jump = 1, 1
    for k, s in layers:
        jump *= s
        r += (k - 1) * jump
    return r


@pytest.mark.parametrize("wrong", [
    _jump_first,
    lambda layers: 1 + sum(k - 1 for k, _ in layers),          # strides ignored
    lambda layers: sum(k for k, _ in layers),                  # kernels added up
])
def test_receptive_field_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_convolution_2(wrong)


def test_param_counts_worked_answer_passes():
    hidden.ex_convolution_3(PARAM_COUNTS)


def test_param_counts_as_text_fails():
    """Text the self-check turns into numbers is not a count."""
    tuned = tuple(str(v) for v in PARAM_COUNTS)
    ex.check_article_cnn_params.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_convolution_3(tuned)


@pytest.mark.parametrize("wrong", [
    (288, 18432, 204800, 1280),                                  # no biases
    (320, 18496, 7 * 7 * 64 * 128 + 128, 1290),                  # "same" convolutions
    (320, 18496, 5 * 5 * 64 * 128 + 128),                        # three counts
])
def test_param_counts_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_convolution_3(wrong)


def test_max_pool_worked_answer_passes():
    hidden.ex_convolution_4(max_pool_2x2)


def test_max_pool_tuned_to_the_self_check_fails():
    """Right on the self-check's image shapes; elsewhere keeps the top-left pixel of each window."""
    shapes = set(ex._POOL_SHAPES)

    def tuned(image):
        if image.shape in shapes:
            return max_pool_2x2(image)
        h, w = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
        return image[:h:2, :w:2]

    ex.check_max_pool.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_convolution_4(tuned)


def _zero_floor(image):  # a maximum that starts from 0, not from the window
    h, w = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    return np.maximum(image[:h, :w].reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3)), 0.0)


def _in_place(image):  # right values, but overwrites the input
    out = max_pool_2x2(image)
    image[...] = 0
    return out


@pytest.mark.parametrize("wrong", [
    _zero_floor,
    _in_place,
    lambda image: max_pool_2x2(image.T).T if image.shape[0] == image.shape[1] else
    image[: image.shape[0] // 2 * 2: 2, : image.shape[1] // 2 * 2: 2],
])
def test_max_pool_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_convolution_4(wrong)
