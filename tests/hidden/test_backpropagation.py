"""The hidden tests of the backpropagation chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import layers
from dlcourse.exercises import backpropagation as ex
from dlcourse.instructor.hidden import backpropagation as hidden

HIDDEN = "^hidden test: "


def neuron_grad(w, x, y_true):  # the worked answer
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    z = w @ x
    y = max(0.0, z)
    relu_slope = 1.0 if z > 0 else 0.0
    return 2 * (y - y_true) * relu_slope * x


def dense_backward(x, W, delta):  # the worked answer, through dlcourse's Dense layer
    layer = layers.Dense(W.shape[0], W.shape[1], "linear", rng=0)
    layer.params["W"][...] = W
    layer.forward(x)
    dx = layer.backward(delta)
    return layer.grads["W"].copy(), layer.grads["b"].copy(), dx


def test_neuron_grad_worked_answer_passes():
    hidden.ex_backpropagation_2(neuron_grad)


def test_neuron_grad_tuned_to_the_self_check_fails():
    """ReLU slope 1 at z = 0: no case of the self-check has z = 0 exactly."""
    def tuned(w, x, y_true):
        w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
        z = w @ x
        return 2 * (max(0.0, z) - y_true) * (1.0 if z >= 0 else 0.0) * x

    ex.check_neuron_grad.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_backpropagation_2(tuned)


def test_neuron_grad_right_only_on_the_self_checks_cases_fails():
    known = [(w, x, y) for w, x, y, _ in ex._neuron_cases()]

    def tuned(w, x, y_true):
        if any(np.array_equal(w, a) and np.array_equal(x, b) and y_true == c for a, b, c in known):
            return neuron_grad(w, x, y_true)
        return neuron_grad(w, x, y_true) * 1.01

    ex.check_neuron_grad.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_backpropagation_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda w, x, y: 2 * (max(0.0, w @ x) - y) * x,                      # ReLU slope forgotten
    lambda w, x, y: (max(0.0, w @ x) - y) * (w @ x > 0) * x,            # factor 2 forgotten
    lambda w, x, y: 2 * (max(0.0, w @ x) - y) * (w @ x > 0) * w,        # d z / d w taken as w
    lambda w, x, y: np.array([2 * (max(0.0, w @ x) - y) * (w @ x > 0) * x]),  # shape (1, 2)
])
def test_neuron_grad_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_backpropagation_2(wrong)


def test_dense_backward_worked_answer_passes():
    hidden.ex_backpropagation_3(dense_backward)
    hidden.ex_backpropagation_3(lambda x, W, d: ((d.T @ x).T, list(d.sum(axis=0)), d @ W.T))


def test_dense_backward_tuned_to_the_self_check_fails():
    """Right on the self-check's three batches (known by their shapes), the mean elsewhere."""
    known = {(x.shape, w.shape) for x, w, _, _ in ex._dense_cases()}

    def tuned(x, W, delta):
        dw, db, dx = x.T @ delta, delta.sum(axis=0), delta @ W.T
        if (x.shape, W.shape) in known:
            return dw, db, dx
        return dw / len(x), delta.mean(axis=0), dx

    ex.check_dense_backward.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_backpropagation_3(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x, W, d: ((d.T @ x), d.sum(axis=0), d @ W.T),            # dW transposed (square W)
    lambda x, W, d: (x.T @ d, d.sum(axis=1)[:W.shape[1]], d @ W.T),  # db summed over units
    lambda x, W, d: (x.T @ d, d.sum(axis=0), (W @ d.T).T * 0.5),    # dx halved
    lambda x, W, d: (x.T @ d, d.sum(axis=0)),                       # two values only
])
def test_dense_backward_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_backpropagation_3(wrong)
