"""Checkers of the chapter on data preparation: the reference answers pass; placeholders,
junk, wrong shapes and wrong values (including the leaky standardization) fail with
ExerciseFailed, never another exception, and no message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import data_preparation as ex

from .helpers import JUNK, fails as _fails


def reference_standardize(x_train, x_other):
    x_train, x_other = np.asarray(x_train, dtype=float), np.asarray(x_other, dtype=float)
    mu, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd[sd == 0] = 1.0
    return (x_train - mu) / sd, (x_other - mu) / sd


def test_reference_standardize_passes(capsys):
    ex.check_standardize(reference_standardize)
    assert capsys.readouterr().out.strip() == "\u2713 standardize: Correct!"


def test_sklearn_standard_scaler_passes():
    from sklearn.preprocessing import StandardScaler

    def with_sklearn(x_train, x_other):
        s = StandardScaler().fit(x_train)
        return s.transform(x_train), s.transform(x_other)

    ex.check_standardize(with_sklearn)


def test_reference_one_hot_passes(capsys):
    ex.check_one_hot(lambda y, k: np.eye(k)[y])
    assert capsys.readouterr().out.strip() == "\u2713 one_hot: Correct!"


def test_keras_to_categorical_passes():
    keras = pytest.importorskip("keras")
    ex.check_one_hot(lambda y, k: keras.utils.to_categorical(y, num_classes=k))


CHECKERS = [ex.check_standardize, ex.check_one_hot]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer, capsys):
    _fails(check, answer)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_a_stub_that_raises_names_the_error(check):
    def stub(*args):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


def test_standardizing_each_array_on_its_own_statistics_is_the_leak():
    def leaky(x_train, x_other):
        return reference_standardize(x_train, x_train)[0], reference_standardize(x_other, x_other)[0]

    assert "training statistics" in _fails(ex.check_standardize, leaky)


def test_dividing_a_constant_column_by_zero_fails():
    def no_guard(x_train, x_other):
        mu, sd = x_train.mean(axis=0), x_train.std(axis=0)
        with np.errstate(all="ignore"):
            return (x_train - mu) / sd, (x_other - mu) / sd

    assert "NaN or infinity" in _fails(ex.check_standardize, no_guard)


def test_a_single_array_or_a_wrong_shape_fails():
    assert "pair" in _fails(ex.check_standardize, lambda a, b: reference_standardize(a, b)[0])
    assert "shape" in _fails(ex.check_standardize, lambda a, b: (a.T, b))
    assert "shape" in _fails(ex.check_one_hot, lambda y, k: np.eye(k)[y].T)


def test_modifying_the_input_fails():
    def in_place(x_train, x_other):
        x_train -= x_train.mean(axis=0)
        return reference_standardize(x_train, x_other)

    assert "must not modify" in _fails(ex.check_standardize, in_place)


def test_off_by_one_one_hot_fails():
    assert "wrong columns" in _fails(ex.check_one_hot, lambda y, k: np.eye(k)[(np.asarray(y) + 1) % k])
