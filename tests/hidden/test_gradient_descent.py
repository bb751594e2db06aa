"""The hidden tests of the gradient-descent chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import optimizers
from dlcourse.exercises import gradient_descent as ex
from dlcourse.instructor.hidden import gradient_descent as hidden

HIDDEN = "^hidden test: "

H2 = np.array([[4.0, 1.0], [1.0, 2.0]])


def test_learning_rates_worked_answer_passes():
    lam_lo, lam_hi = np.linalg.eigvalsh(H2)
    hidden.ex_gradient_descent_2(2 / lam_hi, 2 / (lam_lo + lam_hi))


def test_learning_rates_in_float32_pass():
    lam_lo, lam_hi = np.linalg.eigvalsh(H2.astype(np.float32))
    hidden.ex_gradient_descent_2(np.float32(2) / lam_hi, np.float32(2) / (lam_lo + lam_hi))


def test_learning_rates_rounded_to_the_self_checks_tolerance_fail():
    """Typed in with three digits: the self-check's tolerance (1e-3) lets them through."""
    ex.check_learning_rates.__wrapped__(0.453, 0.333)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_gradient_descent_2(0.453, 0.333)


@pytest.mark.parametrize("rates", [
    (1 / np.linalg.eigvalsh(H2)[1], 2 / np.trace(H2)),    # monotone limit, trace
    (2 / np.linalg.eigvalsh(H2)[1], 1 / np.linalg.eigvalsh(H2)[1]),
    (2 / (np.trace(H2)), 2 / np.linalg.eigvalsh(H2)[1]),  # swapped
])
def test_learning_rates_wrong_answers_fail(rates):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_gradient_descent_2(*rates)


def momentum_path(grad_fn, w0, learning_rate, momentum, steps):  # the worked answer
    w = np.array(w0, dtype=float)
    v = np.zeros_like(w)
    path = np.empty((steps + 1, w.size))
    path[0] = w
    for k in range(steps):
        v = momentum * v - learning_rate * np.asarray(grad_fn(w), dtype=float)
        w = w + v
        path[k + 1] = w
    return path


def test_momentum_path_worked_answer_passes():
    hidden.ex_gradient_descent_3(momentum_path)


def test_momentum_path_by_dlcourse_passes():
    hidden.ex_gradient_descent_3(lambda g, w0, lr, mu, steps: optimizers.minimize(
        g, w0, optimizers.SGD(lr, momentum=mu), steps))


def test_momentum_path_that_updates_an_integer_copy_in_place_fails():
    """Right for the self-check's float starts; ``w += v`` on an integer copy of w0 raises."""
    def in_place(grad_fn, w0, learning_rate, momentum, steps):
        w = w0.copy()
        v = np.zeros(w.shape)
        path = [w.copy()]
        for _ in range(steps):
            v = momentum * v - learning_rate * grad_fn(w)
            w += v
            path.append(w.copy())
        return np.array(path)

    ex.check_momentum_path.__wrapped__(in_place)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_gradient_descent_3(in_place)


def test_momentum_path_tuned_to_the_self_check_fails():
    """Right for the self-check's (learning rate, momentum) pairs, ignores momentum otherwise."""
    pairs = {(lr, mu) for _, _, lr, mu, _, _ in ex._momentum_cases()}

    def tuned(grad_fn, w0, learning_rate, momentum, steps):
        mu = momentum if (learning_rate, momentum) in pairs else 0.9
        return momentum_path(grad_fn, w0, learning_rate, mu, steps)

    ex.check_momentum_path.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_gradient_descent_3(tuned)


def _weights_first(grad_fn, w0, learning_rate, momentum, steps):
    w, v, path = np.array(w0, dtype=float), np.zeros(len(w0)), [np.array(w0, dtype=float)]
    for _ in range(steps):
        w = w + v                       # moves with the old velocity
        v = momentum * v - learning_rate * grad_fn(w)
        path.append(w.copy())
    return np.array(path)


def _nesterov(grad_fn, w0, learning_rate, momentum, steps):
    w, v, path = np.array(w0, dtype=float), np.zeros(len(w0)), [np.array(w0, dtype=float)]
    for _ in range(steps):
        v = momentum * v - learning_rate * grad_fn(w + momentum * v)
        w = w + v
        path.append(w.copy())
    return np.array(path)


@pytest.mark.parametrize("wrong", [
    _weights_first,
    _nesterov,
    lambda g, w0, lr, mu, steps: momentum_path(g, w0, lr, mu, steps)[1:],   # no w0 row
])
def test_momentum_path_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_gradient_descent_3(wrong)
