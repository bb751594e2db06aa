"""The hidden tests of the linear-regression chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import linear_regression as ex
from dlcourse.instructor.hidden import linear_regression as hidden

HIDDEN = "^hidden test: "


def least_squares(x, y):  # the worked answer
    xc = x.ravel() - x.mean()
    yc = y.ravel() - y.mean()
    slope = np.dot(xc, yc) / np.dot(xc, xc)
    return slope, y.mean() - slope * x.mean()


def test_least_squares_worked_answer_passes():
    hidden.ex_linear_regression_2(least_squares)


def test_least_squares_by_lstsq_passes():
    hidden.ex_linear_regression_2(ex._lstsq_line)


def test_least_squares_tuned_to_the_self_check_fails():
    """Right for the self-check's data sets, which it recognises by their size; through
    the origin otherwise."""
    sizes = {len(x) for x, _, _ in ex._line_cases()}

    def tuned(x, y):
        if len(x) in sizes:
            return least_squares(x, y)
        return float(x.ravel() @ y.ravel() / (x.ravel() @ x.ravel())), 0.0

    ex.check_least_squares.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_linear_regression_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda x, y: least_squares(x, y)[::-1],                                       # (b, w)
    lambda x, y: (np.cov(x.ravel(), y.ravel())[0, 1] / np.var(x),                 # ddof mix
                  y.mean() - np.cov(x.ravel(), y.ravel())[0, 1] / np.var(x) * x.mean()),
    lambda x, y: (least_squares(x, y)[0], y.mean()),                              # b = mean y
])
def test_least_squares_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_linear_regression_2(wrong)


def gradient_step(w, b, x, y, learning_rate):  # the worked answer
    residual = (w * x + b - y).ravel()
    grad_w = 2 * np.dot(residual, x.ravel()) / residual.size
    grad_b = 2 * residual.sum() / residual.size
    return w - learning_rate * grad_w, b - learning_rate * grad_b


def test_gradient_step_worked_answer_passes():
    hidden.ex_linear_regression_3(gradient_step)


def test_gradient_step_by_the_self_checks_reference_passes():
    hidden.ex_linear_regression_3(ex._reference_step)


def test_gradient_step_tuned_to_the_self_check_fails():
    """Right for the self-check's learning rates, which it recognises; the 1/(2n) form of
    the MSE (half the step) otherwise."""
    rates = {lr for _, _, _, _, lr, _ in ex._step_cases()}

    def tuned(w, b, x, y, learning_rate):
        lr = learning_rate if learning_rate in rates else learning_rate / 2
        return gradient_step(w, b, x, y, lr)

    ex.check_gradient_step.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_linear_regression_3(tuned)


def test_gradient_step_dividing_by_len_minus_one_fails():
    def by_n_minus_one(w, b, x, y, learning_rate):
        residual = (w * x + b - y).ravel()
        m = max(residual.size - 1, 1)
        return (w - learning_rate * 2 * residual @ x.ravel() / m,
                b - learning_rate * 2 * residual.sum() / m)

    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_linear_regression_3(by_n_minus_one)


@pytest.mark.parametrize("wrong", [
    lambda w, b, x, y, lr: gradient_step(w, b, x, y, -lr),                # uphill
    lambda w, b, x, y, lr: (gradient_step(w, b, x, y, lr)[0], b),         # b never moves
    lambda w, b, x, y, lr: gradient_step(w, b, x, y, lr / 2),             # 1/(2n) form
])
def test_gradient_step_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_linear_regression_3(wrong)
