"""The hidden tests of the losses chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import activations, gradcheck, losses
from dlcourse.exercises import losses as ex
from dlcourse.instructor.hidden import losses as hidden

HIDDEN = "^hidden test: "


def bce_from_logits(y, z):  # the worked answer
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def sigmoid_mse_grad(y, z):  # the worked answer
    p = activations.sigmoid(z)
    return losses.mse_grad(y, p) * activations.sigmoid_grad(z)


def test_bce_from_logits_worked_answer_passes():
    hidden.ex_losses_4(bce_from_logits)
    hidden.ex_losses_4(losses.binary_crossentropy_from_logits)
    hidden.ex_losses_4(lambda y, z: float(np.mean(  # another stable form
        y * np.logaddexp(0.0, -np.asarray(z)) + (1 - y) * np.logaddexp(0.0, np.asarray(z)))))


def test_bce_from_logits_with_log_instead_of_log1p_passes():
    """log(1 + e^-|z|) loses the relative precision of a loss near 0 (about 1e-13 for a
    confident right answer) but not its absolute value: accurate, as the statement asks."""
    def log_form(y, z):
        y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
        return float(np.mean(np.maximum(z, 0) - z * y + np.log(1 + np.exp(-np.abs(z)))))

    hidden.ex_losses_4(log_form)


def test_bce_from_logits_tuned_to_the_self_check_fails():
    """Both branches of np.where computed: the right value, but exp(1000) overflows with a
    RuntimeWarning, which the self-check silences."""
    def warns(y, z):
        y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
        per = np.where(z >= 0, z - z * y + np.log1p(np.exp(-z)), -z * y + np.log1p(np.exp(z)))
        return float(np.mean(per))

    ex.check_bce_from_logits.__wrapped__(warns)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_losses_4(warns)


@pytest.mark.parametrize("wrong", [
    lambda y, z: float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))),  # no abs
    lambda y, z: float(np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))),
    lambda y, z: float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))),
    lambda y, z: float(np.mean(-(y * np.log(np.clip(activations.sigmoid(z), 1e-7, 1 - 1e-7))
                                 + (1 - y) * np.log(np.clip(1 - activations.sigmoid(z), 1e-7, 1))))),
])
def test_bce_from_logits_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        with np.errstate(all="ignore"):
            hidden.ex_losses_4(wrong)


def test_sigmoid_mse_grad_worked_answer_passes():
    hidden.ex_losses_5(sigmoid_mse_grad)


def test_sigmoid_mse_grad_written_by_hand_passes():
    """p (1 - p) computed from p itself loses relative precision for large logits; it is
    still the analytic gradient, and must pass."""
    def by_hand(y, z):
        p = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
        return 2.0 * (p - y) / np.size(z) * p * (1.0 - p)

    hidden.ex_losses_5(by_hand)


def test_sigmoid_mse_grad_tuned_to_the_self_check_fails():
    """A one-sided finite difference returned as the gradient: within the self-check's
    tolerance, not the gradient."""
    def tuned(y, z):
        z = np.asarray(z, dtype=float)
        f0, g = losses.mse(y, activations.sigmoid(z)), np.zeros_like(z)
        for i in np.ndindex(z.shape):
            step = z.copy()
            step[i] += 1e-7
            g[i] = (losses.mse(y, activations.sigmoid(step)) - f0) / 1e-7
        return g

    ex.check_sigmoid_mse_grad.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_losses_5(tuned)


def test_sigmoid_mse_grad_right_only_on_the_self_checks_cases_fails():
    known = [(y, z) for y, z, _ in ex._grad_cases()]

    def tuned(y, z):
        if any(a.shape == y.shape and np.array_equal(a, y) and np.array_equal(b, z) for a, b in known):
            return sigmoid_mse_grad(y, z)
        return 2 * (activations.sigmoid(z) - y) * activations.sigmoid_grad(z) / len(z)

    ex.check_sigmoid_mse_grad.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_losses_5(tuned)


@pytest.mark.parametrize("wrong", [
    lambda y, z: losses.mse_grad(y, activations.sigmoid(z)),                         # no chain
    lambda y, z: losses.mse_grad(y, activations.sigmoid(z)) * activations.sigmoid_grad(
        activations.sigmoid(z)),                                                     # sigma'(p)
    lambda y, z: 2 * (activations.sigmoid(z) - y) * activations.sigmoid_grad(z),     # no 1/n
    lambda y, z: gradcheck.numerical_gradient(lambda v: losses.mse(y, activations.sigmoid(v)), z),
])
def test_sigmoid_mse_grad_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_losses_5(wrong)
