"""Checkers of "A hidden layer by hand": the reference answers pass; placeholders, wrong
types, wrong shapes and wrong values fail with ExerciseFailed (never another exception),
and no failure message gives the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import hidden_layer as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def reference_grads(x, y, W1, b1, W2, b2):
    """Backpropagation through 10 -> 8 ReLU -> 1 with the mean BCE of the logits."""
    n = len(x)
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ W2 + b2
    d2 = (_sigmoid(z2) - y) / n
    d1 = (d2 @ W2.T) * (z1 > 0)
    return x.T @ d1, d1.sum(axis=0), a1.T @ d2, d2.sum(axis=0)


def reference_train_step(params, x, y, learning_rate):
    import tensorflow as tf

    W1, b1, W2, b2 = params
    with tf.GradientTape() as tape:
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    for v, g in zip(params, tape.gradient(loss, params)):
        v.assign_sub(learning_rate * g)
    return float(loss)


# ----------------------------------------------------------------------------- passes


def test_reference_grads_pass(capsys):
    assert ex.check_hidden_layer_grads(reference_grads) is None
    assert capsys.readouterr().out.strip() == "\u2713 hidden_layer_grads: Correct!"


def test_grads_as_list_with_column_biases_pass():
    def as_list(x, y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = reference_grads(x, y, W1, b1, W2, b2)
        return [dW1, db1.reshape(1, -1), dW2, db2.reshape(1, 1)]

    assert ex.check_hidden_layer_grads(as_list) is None


def test_reference_train_step_passes(capsys):
    pytest.importorskip("tensorflow")
    assert ex.check_train_step(reference_train_step) is None
    assert capsys.readouterr().out.strip() == "\u2713 train_step: Correct!"


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_hidden_layer_grads, ex.check_train_step]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2], (0.5,) * 4]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    _fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_not_implemented_fails_naming_the_error(check):
    def stub(*args):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


def test_grads_wrong_types_and_shapes_fail():
    check = ex.check_hidden_layer_grads
    assert "four arrays" in _fails(check, lambda *a: np.zeros(4))
    assert "four arrays" in _fails(check, lambda *a: reference_grads(*a)[:3])
    assert "shape of W1" in _fails(check, lambda *a: (np.zeros((2, 2)),) + reference_grads(*a)[1:])
    assert "should be an array of numbers" in _fails(check, lambda *a: ("a", "b", "c", "d"))
    _fails(check, lambda x, y: reference_grads)  # wrong signature


def test_grads_common_mistakes_are_named_without_numbers():
    def summed(x, y, *p):            # the loss summed instead of averaged
        return [len(x) * g for g in reference_grads(x, y, *p)]

    def wrong_sign(x, y, *p):        # y - p instead of p - y
        return [-g for g in reference_grads(x, y, *p)]

    def no_relu_mask(x, y, W1, b1, W2, b2):
        n = len(x)
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0.0)
        d2 = (_sigmoid(a1 @ W2 + b2) - y) / n
        d1 = d2 @ W2.T
        return x.T @ d1, d1.sum(axis=0), a1.T @ d2, d2.sum(axis=0)

    assert "factor 1/n" in _fails(ex.check_hidden_layer_grads, summed)
    assert "wrong sign" in _fails(ex.check_hidden_layer_grads, wrong_sign)
    message = _fails(ex.check_hidden_layer_grads, no_relu_mask)
    assert "dW1 has the right shape but wrong values" in message
    assert "[" not in message.split("\nHint:")[0]  # no array printed


def test_grads_that_modify_the_weights_fail():
    def mutates(x, y, W1, b1, W2, b2):
        out = reference_grads(x, y, W1.copy(), b1, W2, b2)
        W1 -= 0.1 * out[0]
        return out

    assert "must not change the weights" in _fails(ex.check_hidden_layer_grads, mutates)


def test_train_step_that_does_not_update_fails():
    pytest.importorskip("tensorflow")

    def rebinds(params, x, y, learning_rate):
        import tensorflow as tf

        with tf.GradientTape() as tape:
            W1, b1, W2, b2 = params
            logits = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
        for v, g in zip(params, tape.gradient(loss, params)):
            v = v - learning_rate * g  # rebinds the name; the variable is unchanged
        return loss

    assert "did not change the variables" in _fails(ex.check_train_step, rebinds)


def test_train_step_with_wrong_loss_or_update_fails():
    pytest.importorskip("tensorflow")

    def returns_after(params, x, y, learning_rate):
        reference_train_step(params, x, y, learning_rate)
        return reference_train_step(params, x, y, 0.0)   # the loss after the update

    def double_step(params, x, y, learning_rate):
        return reference_train_step(params, x, y, 2 * learning_rate)

    def rounded(params, x, y, learning_rate):  # article 003's bug: round before the loss
        import tensorflow as tf

        W1, b1, W2, b2 = params
        with tf.GradientTape() as tape:
            logits = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
            guess = tf.round(tf.sigmoid(logits))
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=guess))
        for v, g in zip(params, tape.gradient(loss, params)):
            v.assign_sub(learning_rate * g)
        return loss

    assert "computed before the update" in _fails(ex.check_train_step, returns_after)
    assert "after step 1 is wrong" in _fails(ex.check_train_step, double_step)
    _fails(ex.check_train_step, rounded)  # the gradients are None: assign_sub raises
