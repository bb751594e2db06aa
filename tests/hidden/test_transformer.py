"""The hidden tests of the Transformer chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import transformer
from dlcourse.exercises import transformer as ex
from dlcourse.instructor.hidden import transformer as hidden

HIDDEN = "^hidden test: "


def block_params(d_model, num_heads, d_ff):  # the worked answer
    attention = 4 * (d_model * d_model + d_model)
    norms = 2 * (2 * d_model)
    ffn = (d_model * d_ff + d_ff) + (d_ff * d_model + d_model)
    return attention + norms + ffn


def sequence_accuracy(y_true, logits):  # the worked answer
    right = logits.argmax(axis=-1) == y_true
    return float(np.mean(np.all(right, axis=1)))


CHECKER_SIZES = ((32, 2, 64), (8, 1, 8), (512, 8, 2048), (12, 3, 5))


def test_block_params_worked_answer_passes():
    hidden.ex_transformer_1(block_params)


def test_block_params_agrees_with_the_engine():
    hidden.ex_transformer_1(lambda d, h, f: sum(
        p.size for p, _ in transformer.EncoderBlock(d, h, d // h, f, rng=0).parameters()))


def test_block_params_tuned_to_the_self_check_fails():
    """A table of the self-check's four blocks, and no biases anywhere else."""
    table = {s: block_params(*s) for s in CHECKER_SIZES}

    def tuned(d_model, num_heads, d_ff):
        return table.get((d_model, num_heads, d_ff), 4 * d_model ** 2 + 2 * d_model * d_ff)

    ex.check_block_params.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transformer_1(tuned)


@pytest.mark.parametrize("wrong", [
    lambda d, h, f: block_params(d, h, f) - 2 * d,                          # one layer norm
    lambda d, h, f: 4 * (d * (d // h) + d // h) + 4 * d + 2 * d * f + f + d,  # one head's kernels
    lambda d, h, f: str(block_params(d, h, f)),
])
def test_block_params_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transformer_1(wrong)


def test_sequence_accuracy_worked_answer_passes():
    hidden.ex_transformer_2(sequence_accuracy)
    hidden.ex_transformer_2(lambda y, logits: transformer.token_accuracy(y, logits)[1])


def test_sequence_accuracy_tuned_to_the_self_check_fails():
    """Reads only the first and last positions, which is all the self-check's batches need."""
    def tuned(y_true, logits):
        right = logits.argmax(axis=-1) == y_true
        return float(np.mean(right[:, 0] & right[:, -1]))

    ex.check_sequence_accuracy.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transformer_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda y, logits: float(np.mean(logits.argmax(axis=-1) == y)),                  # tokens
    lambda y, logits: float(np.mean(np.any(logits.argmax(axis=-1) == y, axis=1))),  # any
    lambda y, logits: np.all(logits.argmax(axis=-1) == y, axis=1),                  # no mean
])
def test_sequence_accuracy_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transformer_2(wrong)
