"""Checkers of "An LSTM, step by step": the reference answers pass; placeholders, wrong
types, wrong shapes and wrong values fail with ExerciseFailed (never another exception),
and no failure message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import lstm as ex

from .helpers import JUNK, fails

CHECKERS = [ex.check_recurrent_params, ex.check_one_hot]


def recurrent_params(kind, units, features):
    block = units * (units + features) + units
    return {"SimpleRNN": block, "GRU": 3 * (block + units), "LSTM": 4 * block}[kind]


def one_hot(labels, n_classes):
    return np.eye(n_classes)[np.asarray(labels)]


# ----------------------------------------------------------------------------- passes


def test_reference_answers_pass(capsys):
    assert ex.check_recurrent_params(recurrent_params) is None
    assert ex.check_one_hot(one_hot) is None
    out = capsys.readouterr().out.splitlines()
    assert out == ["\u2713 recurrent_params: Correct!", "\u2713 one_hot: Correct!"]


def test_integer_and_list_answers_pass():
    assert ex.check_one_hot(lambda y, n: one_hot(y, n).astype(int).tolist()) is None
    assert ex.check_recurrent_params(lambda *a: float(recurrent_params(*a))) is None


def test_the_checkers_formulas_match_keras():
    """The checker's counts are Keras's own, for every case it asks about."""
    import dlcourse

    dlcourse.setup(0)
    import keras

    for kind in ex.KINDS:
        for units, features in ex._PARAM_CASES:
            layer = getattr(keras.layers, kind)(units)
            layer.build((None, 5, features))
            assert layer.count_params() == ex._recurrent_params(kind, units, features), (kind, units)


def test_keras_to_categorical_passes():
    pytest.importorskip("keras")
    import dlcourse

    dlcourse.setup(0)
    import keras

    assert ex.check_one_hot(lambda y, n: keras.utils.to_categorical(y, num_classes=n)) is None


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


def test_param_mistakes_are_named_without_the_answer():
    def original_gru(kind, units, features):
        if kind == "GRU":
            return 3 * (units * (units + features) + units)
        return recurrent_params(kind, units, features)

    def no_recurrent_kernel(kind, units, features):
        gates = {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}[kind]
        return recurrent_params(kind, units, features) - gates * units * units

    def three_lstm_gates(kind, units, features):
        if kind == "LSTM":
            return 3 * (units * (units + features) + units)
        return recurrent_params(kind, units, features)

    assert "two bias vectors" in fails(ex.check_recurrent_params, original_gru)
    assert "recurrent kernel" in fails(ex.check_recurrent_params, no_recurrent_kernel)
    message = fails(ex.check_recurrent_params, three_lstm_gates)
    assert "wrong count for LSTM with 32 units on 8 features" in message
    assert "5248" not in message and "5,248" not in message
    assert "whole number" in fails(ex.check_recurrent_params, lambda *a: "many")


def test_one_hot_mistakes_are_named():
    assert "one ROW per label" in fails(ex.check_one_hot, lambda y, n: one_hot(y, n).T)
    assert "expected shape (5, 10)" in fails(ex.check_one_hot, lambda y, n: one_hot(y, n + 1))
    assert "wrong columns" in fails(ex.check_one_hot, lambda y, n: one_hot((np.asarray(y) + 1) % n, n))
    assert "exactly one 1" in fails(ex.check_one_hot, lambda y, n: np.zeros((len(y), n)))
    assert "0 or 1" in fails(ex.check_one_hot, lambda y, n: 0.5 * one_hot(y, n))
    # only the classes that occur: 3 columns instead of 4 for [0, 2, 2]
    assert "expected shape (3, 4)" in fails(
        ex.check_one_hot, lambda y, n: np.eye(int(np.max(y)) + 1)[y] if n == 4 else one_hot(y, n))
