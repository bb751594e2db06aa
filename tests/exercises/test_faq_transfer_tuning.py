"""Checkers of "FAQ: transfer learning and hyperparameter tuning": the reference answers
pass; placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed, and
no failure message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import faq_transfer_tuning as ex

from .helpers import JUNK, fails


def log_uniform(low, high, size, rng):
    return 10.0 ** rng.uniform(np.log10(low), np.log10(high), size)


def test_references_pass(capsys):
    assert ex.check_log_uniform(log_uniform) is None
    assert ex.check_n_trials(59) is None
    assert ex.check_n_trials(np.int64(59)) is None
    out = capsys.readouterr().out
    assert "log_uniform: Correct!" in out and "n_trials: Correct!" in out


@pytest.mark.parametrize("check", [ex.check_log_uniform, ex.check_n_trials], ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


@pytest.mark.parametrize("wrong", [
    lambda lo, hi, s, r: r.uniform(lo, hi, s),                       # uniform, not log-uniform
    lambda lo, hi, s, r: 10.0 ** r.uniform(np.log10(lo), np.log10(hi), (s, 1)),  # wrong shape
    lambda lo, hi, s, r: 10.0 ** np.random.default_rng().uniform(np.log10(lo), np.log10(hi), s),
    lambda lo, hi, s, r: np.exp(r.uniform(lo, hi, s)),               # out of range
    lambda lo, hi, s, r: 1 / 0,                                      # crashes
    lambda lo, hi, s, r: (_ for _ in ()).throw(NotImplementedError()),
])
def test_wrong_functions_fail(wrong):
    fails(ex.check_log_uniform, wrong)


@pytest.mark.parametrize("n", [0, -3, 58, 60, 100, 58.5, True])
def test_wrong_counts_fail_without_the_answer(n):
    assert "59" not in fails(ex.check_n_trials, n)
