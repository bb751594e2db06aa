"""dlcourse.normalization against keras.layers.BatchNormalization / LayerNormalization,
tf.GradientTape and finite differences.

Keras layers are built in float64 with the same weights, so outputs and gradients agree
to float64 round-off: ATOL = 1e-10 (values O(1), a few dozen operations each). The
finite-difference checks use central differences (eps=1e-6), accurate to ~1e-8
relative for these smooth functions: GRAD_TOL = 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from dlcourse import normalization as nz  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402

ATOL = 1e-10
GRAD_TOL = 1e-6


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(loc=1.5, scale=2.0, size=shape)


def _keras_bn(n, gamma, beta, mean=None, var=None, shape=None):
    bn = keras.layers.BatchNormalization(dtype="float64")
    bn.build((None,) + (tuple(shape[1:]) if shape else (n,)))
    bn.set_weights([gamma, beta, np.zeros(n) if mean is None else mean, np.ones(n) if var is None else var])
    return bn


@pytest.mark.parametrize("shape", [(16, 3), (4, 5, 5, 2)])
def test_batch_norm_training_matches_keras_output_gradients_and_running_statistics(shape):
    rng = np.random.default_rng(1)
    x = _data(shape)
    n = shape[-1]
    layer = nz.BatchNormalization(n)
    layer.params["gamma"][...] = rng.normal(size=n)
    layer.params["beta"][...] = rng.normal(size=n)
    bn = _keras_bn(n, layer.params["gamma"], layer.params["beta"], shape=shape)
    G = rng.normal(size=shape)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        yk = bn(xt, training=True)
        loss = tf.reduce_sum(yk * G)
    dx_k, dg_k, db_k = tape.gradient(loss, [xt, *bn.trainable_weights])
    y = layer.forward(x, training=True)
    dx = layer.backward(G)
    assert np.allclose(y, yk.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(dx, dx_k.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(layer.grads["gamma"], dg_k.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(layer.grads["beta"], db_k.numpy(), rtol=0, atol=ATOL)
    for ours, theirs in zip(layer.get_weights()[2:], bn.get_weights()[2:]):
        assert np.allclose(ours, theirs, rtol=0, atol=ATOL)


def test_batch_norm_inference_uses_running_statistics_like_keras():
    rng = np.random.default_rng(2)
    layer = nz.BatchNormalization(4)
    for _ in range(30):
        layer.forward(_data((8, 4), seed=int(rng.integers(1000))), training=True)
    bn = _keras_bn(4, *layer.get_weights())
    x = _data((5, 4), seed=99)
    y = layer.forward(x, training=False)
    assert np.allclose(y, bn(x, training=False).numpy(), rtol=0, atol=ATOL)
    # one example alone gives the same output as inside its batch
    assert np.allclose(layer.forward(x[:1]), y[:1], rtol=0, atol=1e-15)


@pytest.mark.parametrize("shape", [(6, 5), (2, 7, 4)])
def test_layer_norm_matches_keras_output_and_gradients(shape):
    rng = np.random.default_rng(3)
    x = _data(shape)
    n = shape[-1]
    layer = nz.LayerNormalization(n)
    layer.params["gamma"][...] = rng.normal(size=n)
    layer.params["beta"][...] = rng.normal(size=n)
    ln = keras.layers.LayerNormalization(dtype="float64")
    ln.build((None,) + shape[1:])
    ln.set_weights([layer.params["gamma"], layer.params["beta"]])
    G = rng.normal(size=shape)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        yk = ln(xt)
        loss = tf.reduce_sum(yk * G)
    dx_k, dg_k, db_k = tape.gradient(loss, [xt, *ln.trainable_weights])
    y = layer.forward(x)
    dx = layer.backward(G)
    assert np.allclose(y, yk.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(dx, dx_k.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(layer.grads["gamma"], dg_k.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(layer.grads["beta"], db_k.numpy(), rtol=0, atol=ATOL)


@pytest.mark.parametrize("forward", ["batch", "layer"])
def test_normalization_backward_matches_finite_differences(forward):
    rng = np.random.default_rng(4)
    x, gamma, beta = _data((5, 3)), rng.normal(size=3), rng.normal(size=3)
    G = rng.normal(size=(5, 3))

    def run(x_, gamma_=gamma, beta_=beta):
        if forward == "batch":
            y, _, _, cache = nz.batch_norm_forward(x_, gamma_, beta_)
        else:
            y, cache = nz.layer_norm_forward(x_, gamma_, beta_)
        return y, cache

    y, cache = run(x)
    grads = nz.norm_backward(G, cache)
    assert check_gradient(lambda v: np.sum(run(v)[0] * G), grads["x"], x, tol=GRAD_TOL).passed
    assert check_gradient(lambda g: np.sum(run(x, gamma_=g)[0] * G), grads["gamma"], gamma, tol=GRAD_TOL).passed
    assert check_gradient(lambda b: np.sum(run(x, beta_=b)[0] * G), grads["beta"], beta, tol=GRAD_TOL).passed


def test_batch_norm_inference_backward_is_the_fixed_affine_map():
    layer = nz.BatchNormalization(3)
    layer.moving_mean[...] = [0.5, -1.0, 2.0]
    layer.moving_var[...] = [4.0, 0.25, 1.0]
    x = _data((4, 3))
    G = np.random.default_rng(5).normal(size=(4, 3))
    layer.forward(x, training=False)
    dx = layer.backward(G)
    assert check_gradient(lambda v: np.sum(layer.forward(v) * G), dx, x, tol=GRAD_TOL).passed


def test_normalized_output_has_zero_mean_and_unit_variance():
    """With gamma = 1 and beta = 0 each group has mean 0 and variance var/(var+eps)."""
    x = _data((64, 3))
    y, _, var, _ = nz.batch_norm_forward(x, np.ones(3), np.zeros(3), eps=1e-3)
    assert np.allclose(y.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(y.var(axis=0), var / (var + 1e-3), atol=1e-12)
    y, _ = nz.layer_norm_forward(x, np.ones(3), np.zeros(3))
    assert np.allclose(y.mean(axis=1), 0, atol=1e-12)


@pytest.mark.parametrize("call,message", [
    (lambda: nz.BatchNormalization(3).forward(np.zeros((4, 2)), training=True), r"\(batch, \.\.\., 3\); received shape \(4, 2\)"),
    (lambda: nz.BatchNormalization(3).forward(np.zeros(3)), r"received shape \(3,\)"),
    (lambda: nz.LayerNormalization(4).forward(np.zeros((2, 3))), r"\(\.\.\., 4\); received shape \(2, 3\)"),
    (lambda: nz.batch_norm_forward(np.zeros((4, 2)), np.ones(3), np.zeros(2)), r"gamma must have shape \(2,\)"),
    (lambda: nz.layer_norm_forward(np.zeros((4, 2)), np.ones(2), np.zeros(2), eps=0), "eps must be"),
    (lambda: nz.BatchNormalization(3, momentum=1.0), r"momentum must be in \[0, 1\)"),
    (lambda: nz.LayerNormalization(3).backward(np.zeros((2, 3))), "call forward first"),
    (lambda: nz.norm_backward(np.zeros((2, 3)), None), "cache must be"),
])
def test_bad_input_gives_a_clear_error(call, message):
    with pytest.raises((ValueError, TypeError, RuntimeError), match=message):
        call()


def test_backward_refuses_a_gradient_of_the_wrong_shape():
    layer = nz.LayerNormalization(3)
    layer.forward(np.ones((2, 3)) * [1, 2, 3])
    with pytest.raises(ValueError, match=r"grad_out must have the shape"):
        layer.backward(np.zeros((2, 1)))
