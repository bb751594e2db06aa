"""The hidden tests of the residual chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import residual as ex
from dlcourse.instructor.hidden import residual as hidden

HIDDEN = "^hidden test: "


def residual_forward(x, W1, b1, W2, b2):  # the worked answer
    hidden_ = np.maximum(x @ W1 + b1, 0.0)
    return x + hidden_ @ W2 + b2


def residual_backward(g, x, W1, b1, W2, b2):  # the worked answer
    z = x @ W1 + b1
    grad_hidden = (g @ W2.T) * (z > 0)
    return g + grad_hidden @ W1.T


def _checker_shapes():
    return {x.shape + W1.shape[1:] for x, W1, *_ in ex._cases()}


def test_residual_forward_worked_answer_passes():
    hidden.ex_residual_1(residual_forward)


def test_residual_forward_tuned_to_the_self_check_fails():
    """Right on the self-check's shapes; elsewhere leaves out the bias b2."""
    shapes = _checker_shapes()

    def tuned(x, W1, b1, W2, b2):
        if x.shape + W1.shape[1:] in shapes:
            return residual_forward(x, W1, b1, W2, b2)
        return x + np.maximum(x @ W1 + b1, 0.0) @ W2

    ex.check_residual_forward.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_residual_1(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x, W1, b1, W2, b2: np.maximum(residual_forward(x, W1, b1, W2, b2), 0.0),  # ReLU after
    lambda x, W1, b1, W2, b2: residual_forward(x, W1, b1, W2, b2) - x,               # no shortcut
    lambda x, W1, b1, W2, b2: x + np.maximum(x @ W1, 0.0) @ W2 + b1.sum() + b2,       # b1 misplaced
])
def test_residual_forward_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_residual_1(wrong)


def test_residual_backward_worked_answer_passes():
    hidden.ex_residual_2(residual_backward)


def test_residual_backward_tuned_to_the_self_check_fails():
    """Right on the self-check's shapes; elsewhere forgets the ReLU's mask."""
    shapes = _checker_shapes()

    def tuned(g, x, W1, b1, W2, b2):
        if x.shape + W1.shape[1:] in shapes:
            return residual_backward(g, x, W1, b1, W2, b2)
        return g + g @ W2.T @ W1.T

    ex.check_residual_backward.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_residual_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda g, x, W1, b1, W2, b2: residual_backward(g, x, W1, b1, W2, b2) - g,    # no shortcut
    lambda g, x, W1, b1, W2, b2: g + ((g @ W2.T) * (x @ W1 > 0)) @ W1.T,          # mask without b1
    # the ReLU itself instead of its derivative
    lambda g, x, W1, b1, W2, b2: g + ((g @ W2.T) * np.maximum(x @ W1 + b1, 0.0)) @ W1.T,
])
def test_residual_backward_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_residual_2(wrong)


def test_residual_backward_keeps_clear_of_the_relu_kink():
    """The finite differences of the hidden test never straddle a kink of the ReLU."""
    rng = np.random.default_rng(20261207)
    for batch, width, hidden_ in ((3, 4, 2), (2, 5, 9), (4, 2, 3)):
        x = rng.normal(size=(batch, width))
        W1, b1 = rng.normal(size=(width, hidden_)), rng.normal(size=hidden_)
        # W2, b2 and g: drawn as the hidden test draws them, to keep the generator in step
        rng.normal(size=(hidden_, width)), rng.normal(size=width), rng.normal(size=(batch, width))
        b1 = b1 + np.where(np.abs(x @ W1 + b1).min(axis=0) < 0.05, 0.2, 0.0)
        assert np.abs(x @ W1 + b1).min() > 1e-3
