"""The hidden tests of the FAQ chapter on compression and deployment catch wrong answers
the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import faq_compression_deployment as ex
from dlcourse.instructor.hidden import faq_compression_deployment as hidden
from exercises.test_faq_compression_deployment import prune, soften  # the worked answers

HIDDEN = "^hidden test: "


def test_prune_worked_answer_passes():
    hidden.ex_compression_deployment_2(prune)


def test_prune_by_rank_fails_on_tied_magnitudes():
    """Zeroes exactly floor(s (n - 1)) + 1 entries by rank: the same as the quantile rule
    when no two magnitudes are equal, as in the self-check, but not with ties."""
    def tuned(w, sparsity):
        w = np.asarray(w)
        k = int(np.floor(sparsity * (w.size - 1))) + 1
        out = w.copy().ravel()
        out[np.argsort(np.abs(out), kind="stable")[:k]] = 0.0
        return out.reshape(w.shape)

    ex.check_prune.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_compression_deployment_2(tuned)


def test_prune_tuned_to_the_self_checks_sparsities_fails():
    """Right for sparsities 0, 0.5 and 0.9; prunes half the weights for any other."""
    def tuned(w, sparsity):
        return prune(w, sparsity if sparsity in (0.0, 0.5, 0.9) else 0.5)

    ex.check_prune.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_compression_deployment_2(tuned)


def _in_place(w, sparsity):
    w[np.abs(w) <= np.quantile(np.abs(w), sparsity)] = 0.0
    return w


@pytest.mark.parametrize("wrong", [
    lambda w, s: np.where(np.abs(w) >= np.quantile(np.abs(w), s), w, 0.0),    # keeps the ties
    lambda w, s: np.where(np.abs(w) > np.quantile(np.abs(w), s, axis=-1, keepdims=True), w, 0.0),
    lambda w, s: np.where(np.abs(w) > np.quantile(w, s), w, 0.0),             # quantile of w, not |w|
    _in_place,
])
def test_prune_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_compression_deployment_2(wrong)


def test_soften_worked_answer_passes():
    hidden.ex_compression_deployment_3(soften)


def test_soften_that_subtracts_the_global_maximum_fails():
    """Subtracts the largest logit of the whole batch, not of each row: the self-check's
    only large logits sit in a single row."""
    def tuned(logits, T):
        z = np.asarray(logits, dtype=float) / T
        e = np.exp(z - z.max())
        return e / e.sum(axis=1, keepdims=True)

    ex.check_soften.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_compression_deployment_3(tuned)


@pytest.mark.parametrize("wrong", [
    lambda z, T: soften(np.asarray(z) * T, 1.0),                             # multiplies by T
    lambda z, T: soften(z, 1.0),                                             # ignores T
    lambda z, T: soften(np.asarray(z).T, T).T,                               # columns, not rows
])
def test_soften_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_compression_deployment_3(wrong)
