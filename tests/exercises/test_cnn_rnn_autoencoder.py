"""Checker of "CNN + RNN and the convolutional autoencoder": the reference passes and
agrees with Keras; junk and common mistakes fail with ExerciseFailed and a reason;
no message gives a count away."""

from __future__ import annotations

import re

import pytest

from dlcourse.exercises import cnn_rnn_autoencoder as ex

from .helpers import JUNK, fails


def conv_params(kernel_size, in_channels, filters):
    """Reference: one k x k x in_channels kernel and one bias per filter."""
    return (kernel_size * kernel_size * in_channels + 1) * filters


def test_reference_passes(capsys):
    assert ex.check_conv_params(conv_params) is None
    assert capsys.readouterr().out.strip() == "\u2713 conv_params: Correct!"


def test_reference_agrees_with_keras():
    pytest.importorskip("tensorflow")
    import dlcourse

    dlcourse.setup(0)
    import keras

    for k, c_in, c_out in ex._CASES:
        layer = keras.layers.Conv2D(c_out, k)
        layer.build((None, 8, 8, c_in))
        assert layer.count_params() == conv_params(k, c_in, c_out)


def test_numpy_integers_and_floats_pass():
    import numpy as np

    assert ex.check_conv_params(lambda k, c, f: np.int64(conv_params(k, c, f))) is None
    assert ex.check_conv_params(lambda k, c, f: float(conv_params(k, c, f))) is None


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(answer):
    fails(ex.check_conv_params, answer)


@pytest.mark.parametrize("answer, words", [
    (lambda k, c, f: k * k * c * f, "biases"),
    (lambda k, c, f: (k * k + 1) * f, "input channels"),
    (lambda k, c, f: (k * c + 1) * f, "k x k"),
    (lambda k, c, f: k * k * c * f + c, "one bias per filter"),
    (lambda k, c, f: 8 * 8 * conv_params(k, c, f), "wrong"),
    (lambda k, c, f: str(conv_params(k, c, f)), "whole number"),
    (lambda k, c, f: [conv_params(k, c, f)], "whole number"),
    (lambda k, c, f: None, "return"),
    (lambda k, c, f: 1 / 0, "ZeroDivisionError"),
], ids=["no-bias", "no-channels", "1-d", "bias-per-input", "per-pixel", "str", "list",
        "none", "raises"])
def test_wrong_answers_fail_with_a_reason(answer, words):
    assert words in fails(ex.check_conv_params, answer)


def test_messages_do_not_contain_the_counts():
    counts = {str(conv_params(*case)) for case in ex._CASES}
    for answer in (lambda k, c, f: k * k * c * f, lambda k, c, f: 0,
                   lambda k, c, f: (k * c + 1) * f):
        message = fails(ex.check_conv_params, answer)
        assert not set(re.findall(r"\d+", message)) & counts - {"1", "2", "3"}, message
