"""Checkers of the chapter on residual networks: the reference answers pass; placeholders,
junk, a missing shortcut and wrong values fail with ExerciseFailed, never another exception."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import residual as ex

from .helpers import JUNK, fails as _fails


def forward(x, W1, b1, W2, b2):
    return x + np.maximum(x @ W1 + b1, 0) @ W2 + b2


def backward(g, x, W1, b1, W2, b2):
    return g + ((g @ W2.T) * (x @ W1 + b1 > 0)) @ W1.T


def test_reference_answers_pass(capsys):
    ex.check_residual_forward(forward)
    ex.check_residual_backward(backward)
    out = capsys.readouterr().out.splitlines()
    assert out == ["\u2713 residual_forward: Correct!", "\u2713 residual_backward: Correct!"]


CHECKERS = [ex.check_residual_forward, ex.check_residual_backward]


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


def test_a_missing_shortcut_is_named():
    assert "shortcut" in _fails(ex.check_residual_forward,
                                lambda x, W1, b1, W2, b2: forward(x, W1, b1, W2, b2) - x)
    assert "shortcut" in _fails(ex.check_residual_backward,
                                lambda g, *a: backward(g, *a) - g)


def test_wrong_values_and_shapes_fail():
    assert "wrong values" in _fails(ex.check_residual_forward,
                                    lambda x, W1, b1, W2, b2: x + (x @ W1 + b1) @ W2 + b2)
    assert "wrong values" in _fails(ex.check_residual_backward,
                                    lambda g, x, W1, b1, W2, b2: g + (g @ W2.T) @ W1.T)
    assert "shape" in _fails(ex.check_residual_forward, lambda x, *a: forward(x, *a).T)


def test_modifying_the_input_fails():
    def in_place(x, W1, b1, W2, b2):
        x += 0.0 * x + 1.0
        return forward(x - 1.0, W1, b1, W2, b2)

    assert "must not modify" in _fails(ex.check_residual_forward, in_place)
