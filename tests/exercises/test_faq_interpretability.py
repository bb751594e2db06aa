"""Checkers of "FAQ: interpretability": the reference answers pass; placeholders, wrong
types, wrong shapes and wrong values fail with ExerciseFailed."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import faq_interpretability as ex

from .helpers import JUNK, fails


def linear_saliency(W, c):
    return np.abs(np.asarray(W)[:, c]).reshape(8, 8)


def fidelity(surrogate_pred, model_pred):
    return float(np.mean(np.asarray(surrogate_pred) == np.asarray(model_pred)))


def test_references_pass(capsys):
    assert ex.check_linear_saliency(linear_saliency) is None
    assert ex.check_fidelity(fidelity) is None
    out = capsys.readouterr().out
    assert "linear_saliency: Correct!" in out and "fidelity: Correct!" in out


@pytest.mark.parametrize("check", [ex.check_linear_saliency, ex.check_fidelity], ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


@pytest.mark.parametrize("wrong", [
    lambda W, c: np.asarray(W)[:, c].reshape(8, 8),            # signed, not magnitude
    lambda W, c: np.abs(np.asarray(W)[c, :]),                  # wrong axis (and shape)
    lambda W, c: np.abs(np.asarray(W)[:, c]),                  # not reshaped
    lambda W, c: np.abs(np.asarray(W)[:, c]).reshape(8, 8).T,  # column-major order
    lambda W, c: 1 / 0,
])
def test_wrong_saliency_fails(wrong):
    fails(ex.check_linear_saliency, wrong)


@pytest.mark.parametrize("wrong", [
    lambda a, b: float(np.sum(np.asarray(a) == np.asarray(b))),   # a count, not a fraction
    lambda a, b: float(np.mean(np.asarray(a) != np.asarray(b))),  # disagreement
    lambda a, b: np.asarray(a) == np.asarray(b),                  # an array, not a number
    lambda a, b: 0.5,
])
def test_wrong_fidelity_fails(wrong):
    fails(ex.check_fidelity, wrong)
