"""The hidden tests of the normalization chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import normalization
from dlcourse.exercises import normalization as ex
from dlcourse.instructor.hidden import normalization as hidden
from exercises.test_normalization import reference_layer_norm as layer_norm  # the worked answer

HIDDEN = "^hidden test: "


def test_layer_norm_worked_answer_passes():
    hidden.ex_normalization_1(layer_norm)


def test_layer_norm_by_dlcourse_passes():
    hidden.ex_normalization_1(
        lambda x, gamma, beta, eps=1e-3: normalization.layer_norm_forward(x, gamma, beta, eps=eps)[0])


def test_layer_norm_with_eps_built_in_fails_both():
    """Ignores eps and uses 1e-3, the self-check's usual value."""
    def tuned(x, gamma, beta, eps=1e-3):
        return layer_norm(x, gamma, beta, 1e-3)

    with pytest.raises(AssertionError):  # the self-check now tries eps=0.5 too
        ex.check_layer_norm.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_normalization_1(tuned)


def test_layer_norm_with_another_default_eps_fails():
    """The Keras/PyTorch habit, eps=1e-5 by default: the self-check always passes eps."""
    def tuned(x, gamma, beta, eps=1e-5):
        return layer_norm(x, gamma, beta, eps)

    ex.check_layer_norm.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_normalization_1(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x, gamma, beta, eps=1e-3: gamma * (x - x.mean(-1, keepdims=True))
    / (x.std(-1, keepdims=True) + eps) + beta,                                  # eps outside the root
    lambda x, gamma, beta, eps=1e-3: gamma * (x - x.mean(0, keepdims=True))
    / np.sqrt(x.var(0, keepdims=True) + eps) + beta,                            # over the batch
])
def test_layer_norm_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_normalization_1(wrong)


def fold_batch_norm(gamma, beta, mean, var, eps=1e-3):  # the worked answer
    scale = gamma / np.sqrt(var + eps)
    shift = beta - mean * scale
    return scale, shift


def test_fold_batch_norm_worked_answer_passes():
    hidden.ex_normalization_2(fold_batch_norm)


def test_fold_batch_norm_with_eps_built_in_fails_both():
    def tuned(gamma, beta, mean, var, eps=1e-3):
        return fold_batch_norm(gamma, beta, mean, var, 1e-3)

    with pytest.raises(AssertionError):  # the self-check now tries eps=0.5 too
        ex.check_fold_batch_norm.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_normalization_2(tuned)


def test_fold_batch_norm_with_another_default_eps_fails():
    def tuned(gamma, beta, mean, var, eps=1e-5):
        return fold_batch_norm(gamma, beta, mean, var, eps)

    ex.check_fold_batch_norm.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_normalization_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda gamma, beta, mean, var, eps=1e-3: (gamma / np.sqrt(var), beta - mean * gamma / np.sqrt(var)),
    lambda gamma, beta, mean, var, eps=1e-3: (gamma / np.sqrt(var + eps), beta - mean),
    lambda gamma, beta, mean, var, eps=1e-3: (gamma / (np.sqrt(var) + eps),
                                              beta - mean * gamma / (np.sqrt(var) + eps)),
])
def test_fold_batch_norm_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_normalization_2(wrong)
