"""The hidden tests of the hidden-layer chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import hidden_layer as ex
from dlcourse.instructor.hidden import hidden_layer as hidden

HIDDEN = "^hidden test: "


def hidden_layer_grads(x, y, W1, b1, W2, b2):  # the worked answer
    n = x.shape[0]
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ W2 + b2
    delta2 = (1.0 / (1.0 + np.exp(-z2)) - y) / n
    delta1 = (delta2 @ W2.T) * (z1 > 0)
    return x.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)


def train_step(params, x, y, learning_rate):  # the worked answer
    import tensorflow as tf

    W1, b1, W2, b2 = params
    with tf.GradientTape() as tape:
        scores = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
        step_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=scores))
    for variable, gradient in zip(params, tape.gradient(step_loss, params)):
        variable.assign_sub(learning_rate * gradient)
    return float(step_loss)


def test_hidden_layer_grads_worked_answer_passes():
    hidden.ex_hidden_layer_2(hidden_layer_grads)


def test_hidden_layer_grads_tuned_to_the_self_check_fails():
    """Right for the self-check's batches, which it recognises by their size."""
    sizes = {len(x) for x, _, _, _ in ex._cases()}

    def tuned(x, y, W1, b1, W2, b2):
        grads = hidden_layer_grads(x, y, W1, b1, W2, b2)
        return grads if len(x) in sizes else tuple(g * len(x) for g in grads)

    ex.check_hidden_layer_grads.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_hidden_layer_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda *a: tuple(g * len(a[0]) for g in hidden_layer_grads(*a)),            # no 1/n
    lambda x, y, W1, b1, W2, b2: hidden_layer_grads(x, y, W1, b1, W2, b2)[:3] + (np.zeros(1),),
])
def test_hidden_layer_grads_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_hidden_layer_2(wrong)


def test_train_step_worked_answer_passes():
    hidden.ex_hidden_layer_3(train_step)


def test_train_step_tuned_to_the_self_check_fails():
    """Uses the self-check's learning rate, 0.3, whatever it is given."""
    def tuned(params, x, y, learning_rate):
        return train_step(params, x, y, 0.3)

    ex.check_train_step.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_hidden_layer_3(tuned)


def test_train_step_that_reports_the_loss_after_the_step_fails():
    def after(params, x, y, learning_rate):
        train_step(params, x, y, learning_rate)
        return train_step([p for p in params], x, y, 0.0)

    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_hidden_layer_3(after)
