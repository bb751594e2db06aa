"""dlcourse.residual against a Keras functional block (keras.layers.Add) and
tf.GradientTape, plus finite differences.

Keras layers are built with dtype="float64" and given the same weights, so outputs and
gradients agree to float64 round-off: atol=1e-10 (values are O(1), a few hundred
multiply-adds each). Finite differences: dlcourse.gradcheck's central differences
(eps=1e-6) are accurate to ~1e-8 relative on these smooth branches (tanh), tol=1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from dlcourse import optimizers, training  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402
from dlcourse.layers import Dense, Sequential  # noqa: E402
from dlcourse.residual import Residual  # noqa: E402

ATOL = 1e-10
GRAD_TOL = 1e-6


def _block(width=6, act="tanh", seed=0):
    g = np.random.default_rng(seed)
    return Residual([Dense(width, width, act, rng=g), Dense(width, width, "linear", rng=g)])


def _keras_block(block, width):
    inp = keras.Input(shape=(width,), dtype="float64")
    h = inp
    for layer in block.branch.layers:
        kd = keras.layers.Dense(layer.n_out, activation=layer.activation, dtype="float64")
        h = kd(h)
        kd.set_weights([layer.params["W"], layer.params["b"]])
    return keras.Model(inp, keras.layers.Add(dtype="float64")([inp, h]))


def test_forward_and_gradients_match_keras_add():
    """y = x + F(x) and every gradient equal Keras's Add block with the same weights."""
    block, width = _block(), 6
    x = np.random.default_rng(1).normal(size=(5, width))
    g = np.random.default_rng(2).normal(size=(5, width))
    model = _keras_block(block, width)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(model(xt) * g)
    tf_dx, *tf_grads = tape.gradient(loss, [xt] + model.trainable_weights)
    y = block.forward(x)
    np.testing.assert_allclose(y, model(xt).numpy(), atol=ATOL)
    dx = block.backward(g)
    np.testing.assert_allclose(dx, tf_dx.numpy(), atol=ATOL)
    ours = [block.grads[k] for k in ("0.W", "0.b", "1.W", "1.b")]
    for a, b in zip(ours, tf_grads):
        np.testing.assert_allclose(a, b.numpy(), atol=ATOL)


def test_input_gradient_matches_finite_differences():
    block = _block()
    x = np.random.default_rng(3).normal(size=(4, 6))
    g = np.random.default_rng(4).normal(size=(4, 6))

    def f(v):
        return float(np.sum(block.forward(v) * g))

    def grad(v):
        block.forward(v)
        return block.backward(g)

    assert check_gradient(f, grad, x, tol=GRAD_TOL).passed


def test_the_identity_path_passes_the_gradient_when_the_branch_is_zero():
    """With a zero last layer, F(x) = 0 and dL/dx = dL/dy exactly: the identity carries it."""
    g0 = np.random.default_rng(0)
    block = Residual([Dense(4, 4, "sigmoid", rng=g0), Dense(4, 4, init="zeros", rng=g0)])
    x = g0.normal(size=(3, 4))
    g = g0.normal(size=(3, 4))
    assert np.array_equal(block.forward(x), x)
    assert np.array_equal(block.backward(g), g)


def test_params_are_the_branch_arrays_so_training_updates_the_branch():
    g0 = np.random.default_rng(0)
    block = _block()
    net = Sequential([Dense(3, 6, "tanh", rng=g0), block, Dense(6, 1, rng=g0)])
    before = block.branch.layers[0].params["W"].copy()
    x = g0.normal(size=(20, 3))
    y = x.sum(axis=1, keepdims=True)
    h = training.fit(net, x, y, loss="mse", optimizer=optimizers.SGD(learning_rate=0.05),
                     epochs=30, rng=0)
    assert block.params["0.W"] is block.branch.layers[0].params["W"]
    assert not np.array_equal(before, block.branch.layers[0].params["W"])
    assert h.history["loss"][-1] < 0.5 * h.history["loss"][0]


def test_a_branch_that_changes_the_shape_is_refused():
    block = Residual([Dense(4, 3)])
    with pytest.raises(ValueError, match=r"branch must keep the shape.*x.shape=\(2, 4\) and F\(x\).shape=\(2, 3\)"):
        block.forward(np.zeros((2, 4)))


def test_backward_before_forward_and_wrong_grad_shape_are_refused():
    block = _block()
    with pytest.raises(RuntimeError, match="call forward first"):
        block.backward(np.zeros((2, 6)))
    block.forward(np.zeros((2, 6)))
    with pytest.raises(ValueError, match="grad_out must have the shape"):
        block.backward(np.zeros((2, 5)))


def test_bad_branch_is_refused():
    with pytest.raises(TypeError, match="Sequential: layers must be a non-empty list"):
        Residual([])
