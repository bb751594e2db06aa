"""Checkers of the Trends chapter: the reference answers pass; placeholders, wrong types,
wrong shapes and wrong values fail with ExerciseFailed (never another exception), and no
failure message gives the answer away."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from dlcourse.exercises import trends as ex

from .helpers import JUNK, fails

# ----------------------------------------------------------------------------- answers


def conv2d_cost(input_shape, filters, kernel_size, padding="valid"):
    """The answer of the conv2d_cost exercise, written independently of the checker."""
    h, w, c_in = input_shape
    kh, kw = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    if padding == "valid":
        h, w = h - kh + 1, w - kw + 1
    params = (kh * kw * c_in + 1) * filters
    return params, 2 * h * w * filters * kh * kw * c_in


def balanced_class_weights(y):
    counts = Counter(int(v) for v in y)
    return {c: len(y) / (len(counts) * n) for c, n in counts.items()}


# ----------------------------------------------------------------------------- passes


def test_reference_conv2d_cost_passes(capsys):
    assert ex.check_conv2d_cost(conv2d_cost) is None
    assert capsys.readouterr().out.strip() == "\u2713 conv2d_cost: Correct!"


def test_conv2d_cost_agrees_with_keras():
    """The checker's formula against keras.Model.count_params and output shapes."""
    pytest.importorskip("tensorflow")
    import keras

    for input_shape, filters, kernel_size, padding, _ in ex._CONV_CASES:
        layer = keras.layers.Conv2D(filters, kernel_size, padding=padding)
        out = layer(np.zeros((1, *input_shape), dtype="float32"))
        params, flops = ex._reference_conv2d_cost(input_shape, filters, kernel_size, padding)
        assert layer.count_params() == params
        kh, kw = layer.kernel_size
        assert flops == 2 * int(np.prod(out.shape[1:])) * kh * kw * input_shape[-1]


def test_reference_weights_pass(capsys):
    assert ex.check_balanced_class_weights(balanced_class_weights) is None
    assert capsys.readouterr().out.strip() == "\u2713 balanced_class_weights: Correct!"


def test_weights_agree_with_scikit_learn():
    from sklearn.utils.class_weight import compute_class_weight

    def sk(y):
        classes = np.unique(y)
        return dict(zip(classes.tolist(), compute_class_weight("balanced", classes=classes, y=y)))

    assert ex.check_balanced_class_weights(sk) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_conv2d_cost, ex.check_balanced_class_weights]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_stub_fails_naming_not_implemented(check):
    def stub(*args):
        raise NotImplementedError

    assert "NotImplementedError" in fails(check, stub)


# conv2d_cost -----------------------------------------------------------------------


def _wrong_cost(change):
    def cost(input_shape, filters, kernel_size, padding="valid"):
        params, flops = conv2d_cost(input_shape, filters, kernel_size, padding)
        return change(input_shape, filters, kernel_size, padding, params, flops)
    return cost


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_wrong_cost(lambda s, f, k, p, params, flops: (params - f, flops)), "forgot the biases"),
        (_wrong_cost(lambda s, f, k, p, params, flops: (params + 1, flops)), "parameters is wrong"),
        (_wrong_cost(lambda s, f, k, p, params, flops: (params, flops // 2)), "multiply-accumulates"),
        (lambda s, f, k, p="valid": conv2d_cost(s, f, k, "same" if p == "valid" else "valid"),
         "output size is that of padding"),
        (_wrong_cost(lambda s, f, k, p, params, flops: (params, flops // s[-1])),
         "all four factors"),  # C_in left out (the first case has C_in = 1 and passes)
        (_wrong_cost(lambda s, f, k, p, params, flops: (params, flops + 2)), "FLOPs are wrong"),
    ],
)
def test_conv2d_cost_mistakes_are_diagnosed(wrong, words):
    message = fails(ex.check_conv2d_cost, wrong)
    assert words in message
    for shape, filters, kernel, padding, _ in ex._CONV_CASES:  # no expected count shown
        for value in ex._reference_conv2d_cost(shape, filters, kernel, padding):
            assert str(value) not in message


def test_conv2d_cost_wrong_return_types_fail():
    assert "pair" in fails(ex.check_conv2d_cost, lambda s, f, k, p="valid": 3)
    assert "pair" in fails(ex.check_conv2d_cost, lambda s, f, k, p="valid": (1, 2, 3))
    fails(ex.check_conv2d_cost, lambda s, f, k, p="valid": ("params", "flops"))
    fails(ex.check_conv2d_cost, lambda s, f, k, p="valid": (np.zeros(2), 1))
    fails(ex.check_conv2d_cost, lambda s: (1, 2))  # wrong signature


# balanced_class_weights --------------------------------------------------------------


def test_weights_with_the_right_ratios_but_wrong_scale_fail():
    def unscaled(y):
        counts = Counter(int(v) for v in y)
        return {c: 1.0 / n for c, n in counts.items()}

    assert "wrong scale" in fails(ex.check_balanced_class_weights, unscaled)


def test_inverted_weights_fail():
    def inverted(y):  # the frequent class weighted up: the wrong way round
        counts = Counter(int(v) for v in y)
        return {c: n * len(counts) / len(y) for c, n in counts.items()}

    message = fails(ex.check_balanced_class_weights, inverted)
    assert "weights are wrong" in message
    assert "0.52" not in message and "10.0" not in message  # no expected weight shown


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda y: [1.0, 2.0], "must return a dict"),
        (lambda y: np.ones(2), "must return a dict"),
        (lambda y: {0: 1.0}, "one key per class"),
        (lambda y: {"zero": 1.0, "one": 2.0}, "whole numbers"),
        (lambda y: {0.5: 1.0, 1: 2.0}, "whole numbers"),
        (lambda y: {True: 1.0, False: 1.0}, "whole numbers"),
        (lambda y: {c: None for c in balanced_class_weights(y)}, "is None"),
        (lambda y: {c: "one" for c in balanced_class_weights(y)}, "should be a number"),
    ],
)
def test_weights_of_the_wrong_form_fail(wrong, words):
    assert words in fails(ex.check_balanced_class_weights, wrong)
