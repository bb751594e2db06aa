"""Checkers of the Transformer code chapter (``book/code/transformer.ipynb``).

Expected values are recomputed from :mod:`dlcourse.transformer` when a checker runs, so
nothing here stores an answer, and no failure message prints one.
"""

from __future__ import annotations

import numpy as np

from .. import transformer
from .checking import ExerciseFailed, as_float, as_int, checker, expect, require_function
from .checking import call_student as _call

__all__ = ["check_block_params", "check_sequence_accuracy"]


def _block_params(d_model: int, num_heads: int, d_ff: int) -> int:
    block = transformer.EncoderBlock(d_model, num_heads, d_model // num_heads, d_ff, rng=0)
    return sum(p.size for p, _ in block.parameters())


@checker(
    hints=[
        "Count the block part by part: the attention, the feed-forward network and the "
        "layer normalizations.",
        "The attention has four projections (query, key, value, output), each a kernel and "
        "a bias; with the heads splitting the model width, each kernel is square in "
        "the model width, whatever the number of heads.",
        "There are two layer normalizations, each with a scale and a shift per feature, "
        "and the feed-forward network is two dense layers (into the hidden width and back), "
        "each a kernel and a bias.",
    ]
)
def check_block_params(block_params):
    """Check ``block_params(d_model, num_heads, d_ff) -> int`` for an EncoderBlock."""
    require_function(block_params, "block_params")
    for d_model, heads, d_ff in ((32, 2, 64), (8, 1, 8), (512, 8, 2048), (12, 3, 5)):
        want = _block_params(d_model, heads, d_ff)
        got = as_int(_call(block_params, d_model, heads, d_ff),
                     f"block_params({d_model}, {heads}, {d_ff})")
        if heads > 1 and got == _block_params(d_model, 1, d_ff) and got != want:
            raise ExerciseFailed("the count should not change with the number of heads here.")
        expect(got == want, f"block_params({d_model}, {heads}, {d_ff}) = {got} is not the "
                            f"number of parameters of that block.")


@checker(
    hints=[
        "A sequence counts as right only if every one of its tokens is right.",
        "The predicted token at each position is the one with the largest logit over the "
        "vocabulary; compare the predictions with the targets position by position.",
        "Reduce the comparisons over the time axis with a logical all, one verdict per "
        "sequence, then return the fraction of sequences that are right as a float.",
    ]
)
def check_sequence_accuracy(sequence_accuracy):
    """Check ``sequence_accuracy(y_true, logits) -> float`` (whole sequences right)."""
    require_function(sequence_accuracy, "sequence_accuracy")
    rng = np.random.default_rng(2023)
    for n, T, V in ((10, 4, 5), (1, 6, 3), (40, 8, 10)):
        y = rng.integers(0, V, size=(n, T))
        logits = rng.normal(size=(n, T, V))
        right = rng.random(n) < 0.6                      # make some sequences right
        for i in np.flatnonzero(right):
            logits[i, np.arange(T), y[i]] += 10.0
        if n > 1:
            logits[0, np.arange(T - 1), y[0, :-1]] += 10.0  # right but for the last position
            logits[0, -1, y[0, -1]] -= 10.0
        _, want = transformer.token_accuracy(y, logits)
        token_level, _ = transformer.token_accuracy(y, logits)
        got = as_float(_call(sequence_accuracy, y.copy(), logits.copy()),
                       f"sequence_accuracy for {n} sequences")
        if abs(got - token_level) < 1e-6 and abs(token_level - want) > 1e-6:
            raise ExerciseFailed("you return the fraction of right tokens, not of right sequences.")
        expect(abs(got - want) < 1e-6, f"the accuracy for {n} sequences of {T} tokens is wrong.")
