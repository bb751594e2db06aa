"""Checkers of "XOR, step by step": the reference answers pass; placeholders, wrong types,
wrong shapes and wrong values fail with ExerciseFailed (never another exception), and no
failure message gives the answer away."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from dlcourse.exercises import xor as ex

from .helpers import JUNK, fails

CHECKERS = [ex.check_xor_weights, ex.check_n_separable]


def reference_weights():
    """Goodfellow et al. (2016), section 6.1: two ReLU units and a linear output."""
    return (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]),
            np.array([[1.0], [-2.0]]), 0.0)


def separable(labels) -> bool:
    """An independent count: a line separates the labels iff the LP margin is positive."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    s = 2.0 * np.asarray(labels, dtype=float) - 1.0
    a_ub = np.column_stack([-s[:, None] * x, -s, np.ones(4)])
    res = linprog(c=[0, 0, 0, -1], A_ub=a_ub, b_ub=np.zeros(4),
                  bounds=[(-1, 1)] * 3 + [(None, None)])
    assert res.status == 0
    return -res.fun > 1e-9


def test_reference_weights_pass(capsys):
    assert ex.check_xor_weights(reference_weights()) is None
    assert capsys.readouterr().out.strip() == "\u2713 xor_weights: Correct!"


def test_other_shapes_of_the_same_weights_pass():
    W1, b1, W2, b2 = reference_weights()
    assert ex.check_xor_weights([W1.tolist(), b1.reshape(1, 2), W2.ravel(), np.array([b2])]) is None


def test_the_count_is_fourteen_and_passes(capsys):
    count = sum(separable(labels) for labels in itertools.product((0, 1), repeat=4))
    assert count == 14  # all but XOR and XNOR
    assert ex.check_n_separable(count) is None
    assert ex.check_n_separable(np.int64(count)) is None
    assert capsys.readouterr().out.strip().endswith("n_separable: Correct!")


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in fails(check, stub)


def test_wrong_shapes_fail_naming_the_array():
    W1, b1, W2, b2 = reference_weights()
    assert "W1 has shape (2, 3)" in fails(ex.check_xor_weights, (np.ones((2, 3)), b1, W2, b2))
    assert "b1 has shape (3,)" in fails(ex.check_xor_weights, (W1, np.zeros(3), W2, b2))
    assert "four arrays" in fails(ex.check_xor_weights, (W1, b1, W2))
    assert "array of numbers" in fails(ex.check_xor_weights, (W1, b1, W2, "zero"))


def test_wrong_weights_fail_without_the_answer():
    W1, b1, W2, b2 = reference_weights()
    message = fails(ex.check_xor_weights, (W1, b1, -W2, b2))        # wrong sign
    assert "of the 4 rows" in message
    # right on every row but not exact: scaled output
    message = fails(ex.check_xor_weights, (W1, b1, 0.8 * W2, 0.05))
    assert "not exactly" in message
    for text in ("-2", "[[1.0, 1.0]", "-1.0"):
        assert text not in message.split("\nHint:")[0]


@pytest.mark.parametrize("wrong", [0, 2, 13, 15, 16, 17, -1, 2.5])
def test_wrong_counts_fail_without_the_answer(wrong):
    message = fails(ex.check_n_separable, wrong)
    assert "14" not in message


def test_a_function_is_not_a_count():
    fails(ex.check_n_separable, lambda: 14)
