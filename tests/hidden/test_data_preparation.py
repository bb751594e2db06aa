"""The hidden tests of the data-preparation chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import data_preparation as ex
from dlcourse.instructor.hidden import data_preparation as hidden

HIDDEN = "^hidden test: "


def standardize(x_train, x_other):  # the worked answer
    x_train, x_other = np.asarray(x_train, dtype=float), np.asarray(x_other, dtype=float)
    mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (x_train - mu) / sigma, (x_other - mu) / sigma


def one_hot(y, n_classes):  # the worked answer
    return np.eye(n_classes)[np.asarray(y, dtype=int)]


def test_standardize_worked_answer_passes():
    hidden.ex_data_preparation_1(standardize)


def test_standardize_tuned_to_the_self_check_fails():
    """A guard epsilon added to the spread: invisible at the self-check's feature scales."""
    def tuned(x_train, x_other):
        x_train, x_other = np.asarray(x_train, dtype=float), np.asarray(x_other, dtype=float)
        mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)
        sigma = np.where(sigma == 0, 1.0, sigma + 1e-12)
        return (x_train - mu) / sigma, (x_other - mu) / sigma

    ex.check_standardize.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_data_preparation_1(tuned)


def _threshold(x_train, x_other):
    """Treats a spread below 1e-4 as constant, so a feature in small units is not scaled."""
    mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)
    sigma = np.where(sigma < 1e-4, 1.0, sigma)
    return (x_train - mu) / sigma, (x_other - mu) / sigma


def _in_place(x_train, x_other):
    x_train, x_other = np.asarray(x_train, dtype=float), np.asarray(x_other, dtype=float)
    mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)
    sigma[sigma == 0] = 1.0
    x_train -= mu
    x_other -= mu
    return x_train / sigma, x_other / sigma


def _sample_std(x_train, x_other):
    mu, sigma = x_train.mean(axis=0), x_train.std(axis=0, ddof=1)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (x_train - mu) / sigma, (x_other - mu) / sigma


def _no_guard(x_train, x_other):
    mu, sigma = x_train.mean(axis=0), x_train.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x_train - mu) / sigma, (x_other - mu) / sigma


def test_threshold_passes_the_self_check():
    ex.check_standardize.__wrapped__(_threshold)


@pytest.mark.parametrize("wrong", [_threshold, _in_place, _sample_std, _no_guard,
                                   lambda a, b: standardize(a, a)])
def test_standardize_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_data_preparation_1(wrong)


def test_one_hot_worked_answer_passes():
    hidden.ex_data_preparation_2(one_hot)


def _integers(y, n_classes):
    """An integer 0/1 matrix: the self-check compares values only, the statement asks for float."""
    return (np.arange(n_classes) == np.asarray(y)[:, None]).astype(int)


def test_one_hot_tuned_to_the_self_check_fails():
    ex.check_one_hot.__wrapped__(_integers)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_data_preparation_2(_integers)


@pytest.mark.parametrize("wrong", [
    _integers,
    lambda y, k: np.eye(int(np.max(y)) + 1)[np.asarray(y)],        # as many classes as the largest label
    lambda y, k: np.eye(k)[np.asarray(y).astype(np.int8) % 8],     # labels squeezed into eight values
])
def test_one_hot_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_data_preparation_2(wrong)
