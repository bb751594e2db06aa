"""The hidden tests of the activations chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import activations
from dlcourse.exercises import activations as ex
from dlcourse.instructor.hidden import activations as hidden

HIDDEN = "^hidden test: "


def log_softmax(z):  # the worked answer
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def stacked_sigmoid_grad(x, k):  # the worked answer
    h, grad = np.asarray(x, dtype=float), 1.0
    for _ in range(k):
        grad = grad * activations.sigmoid_grad(h)
        h = activations.sigmoid(h)
    return grad


def test_log_softmax_worked_answer_passes():
    hidden.ex_activations_3(log_softmax)


def test_log_softmax_tuned_to_the_self_check_fails():
    """Right on the self-check's seven score arrays, off by a little elsewhere."""
    known = [z for z, _ in ex._log_softmax_cases()]

    def tuned(z):
        z = np.asarray(z, dtype=float)
        exact = any(z.shape == k.shape and np.array_equal(z, k) for k in known)
        return log_softmax(z) + (0.0 if exact else 1e-7)

    ex.check_log_softmax.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_activations_3(tuned)


@pytest.mark.parametrize("wrong", [
    lambda z: log_softmax(z) - 1e-3,
    lambda z: np.asarray(z) - np.log(np.sum(np.exp(np.asarray(z) - np.max(z)))) - np.max(z),  # whole array
    lambda z: np.asarray(z)[..., :1],
])
def test_log_softmax_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_activations_3(wrong)


def test_stacked_sigmoid_grad_worked_answer_passes():
    hidden.ex_activations_4(stacked_sigmoid_grad)


def test_stacked_sigmoid_grad_tuned_to_the_self_check_fails():
    """Right on the self-check's grid of nine points, sigma'(x)**k elsewhere."""
    def tuned(x, k):
        x = np.asarray(x, dtype=float)
        if x.shape == ex._X.shape and np.array_equal(x, ex._X) or x.size == 1:
            return stacked_sigmoid_grad(x, k)
        return activations.sigmoid_grad(x) ** k

    ex.check_stacked_sigmoid_grad.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_activations_4(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x, k: activations.sigmoid_grad(np.asarray(x, dtype=float)) ** k,
    lambda x, k: stacked_sigmoid_grad(x, k - 1) if k > 1 else stacked_sigmoid_grad(x, k),
])
def test_stacked_sigmoid_grad_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_activations_4(wrong)
