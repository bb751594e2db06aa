"""Checkers of the Transformer code chapter: the reference answers pass; junk,
placeholders and wrong values fail with ExerciseFailed (never another exception)."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import transformer as ex

from .helpers import JUNK
from .helpers import fails as _fails


def reference_block_params(d_model, num_heads, d_ff):
    attention = 4 * (d_model * d_model + d_model)
    norms = 2 * 2 * d_model
    ffn = d_model * d_ff + d_ff + d_ff * d_model + d_model
    return attention + norms + ffn


def reference_sequence_accuracy(y_true, logits):
    return float(np.mean(np.all(logits.argmax(axis=-1) == y_true, axis=1)))


def test_reference_answers_pass(capsys):
    assert ex.check_block_params(reference_block_params) is None
    assert ex.check_sequence_accuracy(reference_sequence_accuracy) is None
    assert capsys.readouterr().out.splitlines() == [
        "\u2713 block_params: Correct!", "\u2713 sequence_accuracy: Correct!"]


def test_numpy_scalar_answers_pass():
    ex.check_block_params(lambda *a: np.int64(reference_block_params(*a)))
    ex.check_sequence_accuracy(lambda y, z: np.float32(reference_sequence_accuracy(y, z)))


@pytest.mark.parametrize("check", [ex.check_block_params, ex.check_sequence_accuracy])
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_fails_cleanly(check, junk):
    _fails(check, junk)


def test_token_accuracy_instead_of_sequence_accuracy_is_named():
    tokens = lambda y, z: float(np.mean(z.argmax(-1) == y))
    assert "right tokens" in _fails(ex.check_sequence_accuracy, tokens)


@pytest.mark.parametrize("wrong", [
    lambda d, h, f: reference_block_params(d, h, f) - 4 * d,          # forgets the norms
    lambda d, h, f: reference_block_params(d, h, f) - 4 * d - f - d,  # forgets biases
    lambda d, h, f: h * reference_block_params(d, h, f),              # per head
    lambda d, h, f: 1 / 0,
])
def test_wrong_counts_fail(wrong):
    _fails(ex.check_block_params, wrong)


def test_a_wrong_axis_fails():
    _fails(ex.check_sequence_accuracy, lambda y, z: float(np.mean(np.all(z.argmax(-1) == y, axis=0))))
