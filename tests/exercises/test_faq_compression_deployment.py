"""Checkers of "FAQ: model compression and deployment": the reference answers pass;
placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import faq_compression_deployment as ex

from .helpers import JUNK, fails


def prune(w, sparsity):
    w = np.asarray(w)
    tau = np.quantile(np.abs(w), sparsity)
    return np.where(np.abs(w) > tau, w, 0.0)


def soften(logits, T):
    z = np.asarray(logits, dtype=float) / T
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def test_references_pass(capsys):
    assert ex.check_prune(prune) is None
    assert ex.check_soften(soften) is None
    out = capsys.readouterr().out
    assert "prune: Correct!" in out and "soften: Correct!" in out


@pytest.mark.parametrize("check", [ex.check_prune, ex.check_soften], ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


def _in_place(w, s):
    w[np.abs(w) <= np.quantile(np.abs(w), s)] = 0.0
    return w


@pytest.mark.parametrize("wrong", [
    _in_place,
    lambda w, s: np.where(w > np.quantile(w, s), w, 0.0),          # signed, not magnitude
    lambda w, s: prune(w, s).ravel(),                              # wrong shape
    lambda w, s: prune(w, 1 - s),                                  # keeps the wrong fraction
    lambda w, s: 1 / 0,
])
def test_wrong_prunes_fail(wrong):
    fails(ex.check_prune, wrong)


@pytest.mark.parametrize("wrong", [
    lambda z, T: soften(z, 1.0),                                   # ignores T
    lambda z, T: soften(z * T, 1.0),                               # multiplies by T
    lambda z, T: np.exp(z / T) / np.exp(z / T).sum(axis=1, keepdims=True),  # overflows
    lambda z, T: soften(z, T).T,                                   # wrong shape
    lambda z, T: soften(z.T, T).T,                                 # normalised over the wrong axis
])
def test_wrong_softens_fail(wrong):
    with np.errstate(all="ignore"):
        fails(ex.check_soften, wrong)
