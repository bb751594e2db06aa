"""Checkers of the Recurrent networks chapter: the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception), and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import recurrent as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_simple_rnn(x, W, U, b):
    """The answer of the simple-RNN exercise, written independently of dlcourse."""
    h = np.zeros(U.shape[0])
    states = []
    for x_t in x:
        h = np.tanh(x_t @ W + h @ U + b)
        states.append(h)
    return np.array(states)


def lstm_params(d, u):
    return 4 * (d * u + u * u + u)


#: Article 001's model: LSTM(128) on (10, 10) inputs, LSTM(128), Dense(10).
REFERENCE_COUNTS = (lstm_params(10, 128), lstm_params(128, 128), 128 * 10 + 10)


def reference_clip(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if total <= max_norm:
        return [g.copy() for g in grads]
    return [g * (max_norm / total) for g in grads]


def _numbers(message: str) -> set[int]:
    return {int(m) for m in re.findall(r"\d+", message)}


# ----------------------------------------------------------------------------- passes


def test_reference_simple_rnn_passes(capsys):
    assert ex.check_simple_rnn(reference_simple_rnn) is None
    assert capsys.readouterr().out.strip() == "\u2713 simple_rnn: Correct!"


def test_reference_counts_pass():
    assert ex.check_article_lstm_params(REFERENCE_COUNTS) is None
    assert ex.check_article_lstm_params(list(REFERENCE_COUNTS)) is None


def test_counts_match_keras():
    """The counting rule agrees with Keras on the article's model."""
    keras = pytest.importorskip("keras")
    model = keras.Sequential([
        keras.Input(shape=(10, 10)),
        keras.layers.LSTM(128, return_sequences=True),
        keras.layers.LSTM(128),
        keras.layers.Dense(10, activation="softmax"),
    ])
    assert tuple(layer.count_params() for layer in model.layers) == REFERENCE_COUNTS


def test_reference_clip_passes():
    assert ex.check_clip_by_global_norm(reference_clip) is None


def test_clip_computed_in_float32_passes():
    def clip32(grads, max_norm):
        return reference_clip([np.asarray(g, np.float32) for g in grads], np.float32(max_norm))
    assert ex.check_clip_by_global_norm(clip32) is None



def test_clip_returning_a_tuple_passes():
    assert ex.check_clip_by_global_norm(lambda g, m: tuple(reference_clip(g, m))) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_simple_rnn, ex.check_article_lstm_params, ex.check_clip_by_global_norm]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3], (1.5, 2, 3)]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    _fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


@pytest.mark.parametrize("check", [ex.check_simple_rnn, ex.check_clip_by_global_norm],
                         ids=lambda c: c.__name__)
def test_not_implemented_fails(check):
    def stub(*args):
        raise NotImplementedError

    assert "NotImplementedError" in _fails(check, stub)


# simple_rnn ----------------------------------------------------------------------------


def test_rnn_without_recurrence_fails_with_a_diagnosis():
    message = _fails(ex.check_simple_rnn, lambda x, W, U, b: np.tanh(x @ W + b))
    assert "ignore the previous state" in message


def test_rnn_that_never_updates_h_fails():
    def stale(x, W, U, b):
        h0 = np.zeros(U.shape[0])
        return np.array([np.tanh(x_t @ W + h0 @ U + b) for x_t in x]) + 0 * x[:, :1]

    _fails(ex.check_simple_rnn, stale)


def test_rnn_with_transposed_recurrent_weights_fails():
    def transposed(x, W, U, b):
        return reference_simple_rnn(x, W, U.T, b)

    assert "later ones are wrong" in _fails(ex.check_simple_rnn, transposed)


def test_rnn_returning_only_the_last_state_fails_on_shape():
    message = _fails(ex.check_simple_rnn, lambda x, W, U, b: reference_simple_rnn(x, W, U, b)[-1])
    assert "shape" in message


def test_rnn_with_sigmoid_fails_without_numbers_from_the_answer():
    def sigmoid_rnn(x, W, U, b):
        h = np.zeros(U.shape[0])
        out = []
        for x_t in x:
            h = 1 / (1 + np.exp(-(x_t @ W + h @ U + b)))
            out.append(h)
        return np.array(out)

    message = _fails(ex.check_simple_rnn, sigmoid_rnn)
    assert "hidden states" in message and "wrong" in message
    said = message.split("\nHint:")[0]
    assert "[" not in said and not re.search(r"\d\.\d", said)


def test_rnn_that_modifies_its_input_fails():
    def mutates(x, W, U, b):
        out = reference_simple_rnn(x, W, U, b)
        x *= 0
        return out

    assert "must not modify" in _fails(ex.check_simple_rnn, mutates)


def test_rnn_with_wrong_signature_fails():
    assert "raised TypeError" in _fails(ex.check_simple_rnn, lambda x, W: x)


# article_lstm_params -------------------------------------------------------------------


@pytest.mark.parametrize("layer", range(3))
def test_one_wrong_count_names_the_layer_only(layer):
    counts = list(REFERENCE_COUNTS)
    counts[layer] += 128
    message = _fails(ex.check_article_lstm_params, counts)
    assert f"count for {('lstm_1', 'lstm_2', 'dense')[layer]} is off" in message
    assert not _numbers(message) & set(REFERENCE_COUNTS)


def test_counting_the_steps_fails_with_a_diagnosis():
    counts = (4 * (10 * 10 * 128 + 128 * 128 + 128), *REFERENCE_COUNTS[1:])
    assert "time steps" in _fails(ex.check_article_lstm_params, counts)


def test_simple_rnn_count_fails():
    counts = tuple(c // 4 for c in REFERENCE_COUNTS[:2]) + REFERENCE_COUNTS[2:]
    assert "lstm_1 is off" in _fails(ex.check_article_lstm_params, counts)


@pytest.mark.parametrize(
    "counts, words",
    [
        (REFERENCE_COUNTS[:2], "three numbers"),
        ({"lstm_1": 1}, "tuple of three"),
        (np.array(REFERENCE_COUNTS), "tuple of three"),
        ((1, None, 2), "is None"),
        ((1.5, 2, 3), "whole number"),
    ],
)
def test_counts_of_the_wrong_form_fail(counts, words):
    assert words in _fails(ex.check_article_lstm_params, counts)


# clip_by_global_norm ---------------------------------------------------------------------


def test_clipping_each_array_by_its_own_norm_fails_with_a_diagnosis():
    def per_array(grads, max_norm):
        return [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]

    assert "its own norm" in _fails(ex.check_clip_by_global_norm, per_array)


def test_always_rescaling_fails():
    def always(grads, max_norm):
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        return [g * max_norm / max(total, 1e-12) for g in grads]

    assert "below max_norm" in _fails(ex.check_clip_by_global_norm, always)


def test_clipping_values_instead_of_the_norm_fails():
    assert "wrong" in _fails(ex.check_clip_by_global_norm,
                             lambda grads, m: [np.clip(g, -m, m) for g in grads])


def test_clip_in_place_fails():
    def in_place(grads, max_norm):
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        for g in grads:
            g *= min(1.0, max_norm / total) if total else 1.0
        return grads

    assert "must not modify" in _fails(ex.check_clip_by_global_norm, in_place)


def test_clip_returning_the_wrong_container_or_shapes_fails():
    assert "one array per gradient" in _fails(ex.check_clip_by_global_norm,
                                              lambda grads, m: np.concatenate([g.ravel() for g in grads]))
    assert "one array per gradient" in _fails(ex.check_clip_by_global_norm,
                                              lambda grads, m: grads[:1])
    assert "shape" in _fails(ex.check_clip_by_global_norm,
                             lambda grads, m: [g.ravel() for g in grads])


def test_clip_of_zero_gradients_must_not_be_nan():
    def divides_by_zero(grads, max_norm):
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        with np.errstate(invalid="ignore", divide="ignore"):
            return [g / total * min(total, max_norm) for g in grads]  # 0 / 0 for zeros

    assert "NaN" in _fails(ex.check_clip_by_global_norm, divides_by_zero)
