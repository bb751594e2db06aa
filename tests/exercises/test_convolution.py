"""Checkers of the Convolutional networks chapter: the reference answers pass;
placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed (never
another exception), and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import convolution as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_receptive_field(layers):
    r, jump = 1, 1
    for k, s in layers:
        r, jump = r + (k - 1) * jump, jump * s
    return r


def measured_receptive_field(layers, n=48):
    """The receptive field found by backpropagating from one output unit through
    dlcourse.conv: all-ones kernels for convolutions, average pooling for poolings
    (both pass a positive gradient to every input cell of a window)."""
    from dlcourse import conv

    x = np.ones((1, n, n, 1))
    inputs = []
    for k, s in layers:
        inputs.append(x)
        x = conv.conv2d(x, np.ones((k, k, 1, 1)), stride=s)
    g = np.zeros_like(x)
    g[0, x.shape[1] // 2, x.shape[2] // 2, 0] = 1.0
    for (k, s), xin in zip(reversed(layers), reversed(inputs)):
        g, _, _ = conv.conv2d_backward(g, xin, np.ones((k, k, 1, 1)), stride=s)
    rows = np.flatnonzero(g[0, :, :, 0].any(axis=1))
    return rows[-1] - rows[0] + 1


#: Article 001's CNN on 28x28x1, counted by hand: 28 -> 26 -> 13 -> 11 -> 5.
REFERENCE_COUNTS = (3 * 3 * 1 * 32 + 32, 3 * 3 * 32 * 64 + 64, 5 * 5 * 64 * 128 + 128, 128 * 10 + 10)


def reference_max_pool(image):
    h, w = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    x = image[:h, :w]
    return x.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def _numbers(message: str) -> set[int]:
    return {int(m) for m in re.findall(r"\d+", message)}


# ----------------------------------------------------------------------------- passes


def test_reference_receptive_field_passes(capsys):
    assert ex.check_receptive_field(reference_receptive_field) is None
    assert capsys.readouterr().out.strip() == "\u2713 receptive_field: Correct!"


@pytest.mark.parametrize("layers", [layers for layers, _ in ex._FIELD_CASES], ids=str)
def test_receptive_field_rule_matches_backpropagation(layers):
    """The recursion the checker uses is what gradients through dlcourse.conv show."""
    assert ex._receptive_field(layers) == measured_receptive_field(layers)


def test_receptive_field_returning_numpy_ints_passes():
    assert ex.check_receptive_field(lambda layers: np.int64(reference_receptive_field(layers))) is None


def test_reference_counts_pass():
    assert ex.check_article_cnn_params(REFERENCE_COUNTS) is None
    assert ex.check_article_cnn_params(list(REFERENCE_COUNTS)) is None


def test_counts_match_keras():
    """The counting rules agree with Keras on the article's model (28x28x1 input)."""
    keras = pytest.importorskip("keras")
    L = keras.layers
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2),
        L.Flatten(), L.Dense(128, activation="relu"), L.Dense(10, activation="softmax"),
    ])
    counts = tuple(layer.count_params() for layer in model.layers if layer.count_params())
    assert counts == REFERENCE_COUNTS


def test_reference_max_pool_passes():
    assert ex.check_max_pool(reference_max_pool) is None


def test_max_pool_computed_in_float32_passes():
    assert ex.check_max_pool(lambda im: reference_max_pool(np.asarray(im, np.float32))) is None



# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_receptive_field, ex.check_article_cnn_params, ex.check_max_pool]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3], (1.5, 2, 3, 4)]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    _fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


@pytest.mark.parametrize("check", [ex.check_receptive_field, ex.check_max_pool],
                         ids=lambda c: c.__name__)
def test_not_implemented_fails(check):
    def stub(*args):
        raise NotImplementedError

    assert "NotImplementedError" in _fails(check, stub)


# receptive_field -----------------------------------------------------------------------


def test_adding_kernel_sizes_fails_with_a_diagnosis():
    message = _fails(ex.check_receptive_field, lambda layers: sum(k for k, _ in layers))
    assert "overlap" in message


def test_ignoring_strides_fails_with_a_diagnosis():
    message = _fails(ex.check_receptive_field, lambda layers: 1 + sum(k - 1 for k, _ in layers))
    assert "ignores the strides" in message


def test_multiplying_by_the_stride_first_fails():
    def stride_first(layers):  # uses the jump *after* the layer instead of before it
        r, jump = 1, 1
        for k, s in layers:
            jump *= s
            r += (k - 1) * jump
        return r

    message = _fails(ex.check_receptive_field, stride_first)
    assert "is wrong" in message
    said = message.split("\nHint:")[0]
    assert not re.search(r"\b10\b", said)  # the article stack's answer is not given away


def test_receptive_field_returning_junk_fails():
    assert "whole number" in _fails(ex.check_receptive_field, lambda layers: "five")
    _fails(ex.check_receptive_field, lambda layers: np.zeros(3))
    assert "raised TypeError" in _fails(ex.check_receptive_field, lambda: 3)  # wrong signature
    assert "function itself" in _fails(ex.check_receptive_field, 5)


# article_cnn_params ----------------------------------------------------------------------


@pytest.mark.parametrize("layer", range(4))
def test_one_wrong_count_names_the_layer_only(layer):
    counts = list(REFERENCE_COUNTS)
    counts[layer] += 64
    message = _fails(ex.check_article_cnn_params, counts)
    assert f"count for {('conv_1', 'conv_2', 'dense', 'output')[layer]} is off" in message
    assert not _numbers(message) & set(REFERENCE_COUNTS)


def test_dense_with_the_wrong_flatten_size_fails():
    counts = list(REFERENCE_COUNTS)
    counts[2] = 6 * 6 * 64 * 128 + 128  # forgot that 11 // 2 rounds down
    assert "dense is off" in _fails(ex.check_article_cnn_params, counts)


@pytest.mark.parametrize(
    "counts, words",
    [
        (REFERENCE_COUNTS[:3], "four numbers"),
        ({"conv_1": 320}, "tuple of four"),
        (np.array(REFERENCE_COUNTS), "tuple of four"),
        ((320, None, 1, 2), "is None"),
        ((320.5, 1, 2, 3), "whole number"),
        ("320", "tuple of four"),
    ],
)
def test_counts_of_the_wrong_form_fail(counts, words):
    assert words in _fails(ex.check_article_cnn_params, counts)


# max_pool ------------------------------------------------------------------------------


def test_global_max_fails_with_the_article_diagnosis():
    assert "whole input" in _fails(ex.check_max_pool, lambda image: image.max())


def test_pooling_with_the_wrong_shape_fails():
    message = _fails(ex.check_max_pool, lambda image: image[::2, ::2])
    assert "right shape but wrong values" in message  # subsampling, not pooling
    assert "shape" in _fails(ex.check_max_pool, lambda image: image)
    assert "shape" in _fails(ex.check_max_pool, lambda image: image.max(axis=0))


def test_average_pooling_fails():
    def avg(image):
        h, w = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
        return image[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))

    assert "wrong values" in _fails(ex.check_max_pool, avg)


def test_padding_odd_sizes_fails():
    def ceil_mode(image):  # pads an odd last row/column instead of dropping it
        h, w = image.shape
        padded = np.full((h + h % 2, w + w % 2), -np.inf)
        padded[:h, :w] = image
        return reference_max_pool(padded)

    assert "shape" in _fails(ex.check_max_pool, ceil_mode)


def test_max_pool_that_modifies_its_input_fails():
    def mutates(image):
        out = reference_max_pool(image)
        image[:] = 0
        return out

    assert "must not modify" in _fails(ex.check_max_pool, mutates)


def test_max_pool_message_shows_no_values():
    message = _fails(ex.check_max_pool, lambda image: reference_max_pool(image) + 1.0)
    assert "wrong values" in message
    said = message.split("\nHint:")[0]
    assert "[" not in said and not re.search(r"\d\.\d", said)
