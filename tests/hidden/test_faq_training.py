"""The hidden tests of the FAQ chapter on training catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.activations import sigmoid
from dlcourse.exercises import faq_training as ex
from dlcourse.instructor.hidden import faq_training as hidden

HIDDEN = "^hidden test: "


def chain_grad_norms(x, weights, grad_out, residual=False):  # the worked answer
    hs, zs, h = [], [], np.asarray(x, dtype=float)
    for W in weights:
        z = h @ W
        hs.append(h)
        zs.append(z)
        h = h + sigmoid(z) if residual else sigmoid(z)
    g, norms = np.asarray(grad_out, dtype=float), []
    for W, h_prev, z in zip(reversed(weights), reversed(hs), reversed(zs)):
        s = sigmoid(z)
        delta = g * s * (1 - s)
        norms.append(np.linalg.norm(h_prev.T @ delta))
        g = delta @ W.T + (g if residual else 0)
    return np.array(norms[::-1])


def test_chain_grad_norms_worked_answer_passes():
    hidden.ex_training_2(chain_grad_norms)


def test_chain_grad_norms_with_a_residual_default_fails():
    """Residual unless told otherwise: the self-check always passes residual=."""
    def tuned(x, weights, grad_out, residual=True):
        return chain_grad_norms(x, weights, grad_out, residual)

    ex.check_chain_grad_norms.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_training_2(tuned)


def test_chain_grad_norms_tuned_to_the_self_checks_batches_fails():
    """Right for the self-check's batch sizes (7, 16, 3), sigma' at the output otherwise."""
    def tuned(x, weights, grad_out, residual=False):
        if len(x) in (7, 16, 3):
            return chain_grad_norms(x, weights, grad_out, residual)
        return ex.reference_chain_grad_norms(x, weights, grad_out, residual,
                                             mistake="derivative_of_output")

    ex.check_chain_grad_norms.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_training_2(tuned)


@pytest.mark.parametrize("mistake", ["no_derivative", "no_identity"])
def test_chain_grad_norms_wrong_answers_fail(mistake):
    def wrong(x, weights, grad_out, residual=False):
        return ex.reference_chain_grad_norms(x, weights, grad_out, residual, mistake=mistake)

    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_training_2(wrong)


def test_chain_grad_norms_in_reverse_order_fail():
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_training_2(lambda *a, **k: chain_grad_norms(*a, **k)[::-1])
