"""dlcourse.layers against keras.layers and tf.GradientTape, plus finite differences.

Keras layers are built with dtype="float64" and given the same weights, so forward
outputs and gradients agree to float64 round-off: atol=1e-10 (values are O(1), and
a few hundred multiply-adds each lose ~1e-16). The finite-difference checks use
dlcourse.gradcheck with central differences (eps=1e-6), whose truncation and
round-off error is ~1e-8 relative for these smooth functions: tol=1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from dlcourse import losses  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402
from dlcourse.layers import Activation, Dense, Dropout, Flatten, Sequential  # noqa: E402

ATOL = 1e-10  # float64 on both sides: only round-off differs
GRAD_TOL = 1e-6  # central differences, eps=1e-6


def _keras_dense(layer: Dense, activation: str | None = None) -> keras.layers.Dense:
    kd = keras.layers.Dense(layer.n_out, activation=activation or layer.activation, dtype="float64")
    kd.build((None, layer.n_in))
    kd.set_weights([layer.params["W"], layer.params["b"]])
    return kd


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh", "softmax"])
def test_dense_forward_matches_keras(activation):
    layer = Dense(5, 4, activation, rng=0)
    layer.params["b"][:] = _data(4, seed=3)  # non-zero biases, so they are tested too
    x = _data((7, 5))
    np.testing.assert_allclose(layer.forward(x), _keras_dense(layer)(x).numpy(), atol=ATOL)


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh", "leaky_relu", "softmax"])
def test_dense_backward_matches_gradient_tape(activation):
    layer = Dense(5, 4, activation, rng=1)
    layer.params["b"][:] = _data(4, seed=4)
    x, upstream = _data((6, 5)), _data((6, 4), seed=2)
    # L = sum(out * upstream), so dL/d out = upstream
    out = layer.forward(x)
    dx = layer.backward(upstream)

    W = tf.Variable(layer.params["W"])
    b = tf.Variable(layer.params["b"])
    xt = tf.Variable(x)
    act = keras.activations.get(activation)  # "leaky_relu" too: dlcourse's slope is Keras's
    with tf.GradientTape() as tape:
        a = act(xt @ W + b)
        loss = tf.reduce_sum(a * upstream)
    gW, gb, gx = tape.gradient(loss, [W, b, xt])
    np.testing.assert_allclose(out, a.numpy(), atol=ATOL)
    np.testing.assert_allclose(layer.grads["W"], gW.numpy(), atol=ATOL)
    np.testing.assert_allclose(layer.grads["b"], gb.numpy(), atol=ATOL)
    np.testing.assert_allclose(dx, gx.numpy(), atol=ATOL)


def _mlp(seed=0):
    return Sequential([
        Dense(6, 8, "tanh", rng=seed),
        Dense(8, 5, "sigmoid", rng=seed + 1),
        Dense(5, 3, "linear", rng=seed + 2),
    ])


def test_sequential_backward_matches_gradient_tape():
    model = _mlp()
    for layer in model.layers:
        layer.params["b"][:] = _data(layer.n_out, seed=layer.n_out)
    x, labels = _data((10, 6)), np.arange(10) % 3
    logits = model.forward(x, training=True)
    model.backward(losses.softmax_crossentropy_grad(labels, logits))

    keras_model = keras.Sequential(
        [keras.Input(shape=(6,), dtype="float64")] + [_keras_dense(l) for l in model.layers]
    )
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    with tf.GradientTape() as tape:
        loss = loss_fn(labels, keras_model(x))
    kgrads = tape.gradient(loss, keras_model.trainable_variables)
    assert len(kgrads) == len(model.parameters())
    for (_, g), kg in zip(model.parameters(), kgrads):
        np.testing.assert_allclose(g, kg.numpy(), atol=ATOL)
    assert model.n_params == keras_model.count_params() == 6 * 8 + 8 + 8 * 5 + 5 + 5 * 3 + 3


def test_sequential_backward_passes_finite_difference_check():
    model = Sequential([Dense(4, 6, "tanh", rng=0), Activation("sigmoid"), Dense(6, 2, rng=1)])
    x, y = _data((5, 4)), _data((5, 2), seed=1)

    def loss_at(params_flat):
        _unflatten(model, params_flat)
        return losses.mse(y, model.forward(x))

    def grad_at(params_flat):
        _unflatten(model, params_flat)
        model.backward(losses.mse_grad(y, model.forward(x)))
        return np.concatenate([g.ravel() for _, g in model.parameters()])

    theta = np.concatenate([p.ravel() for p, _ in model.parameters()])
    result = check_gradient(loss_at, grad_at, theta, tol=GRAD_TOL)
    assert result.passed, str(result)

    # and the gradient with respect to the input
    def input_loss(xx):
        return losses.mse(y, model.forward(xx))

    def input_grad(xx):
        return model.backward(losses.mse_grad(y, model.forward(xx)))

    result = check_gradient(input_loss, input_grad, x, tol=GRAD_TOL)
    assert result.passed, str(result)


def _unflatten(model, flat):
    i = 0
    for p, _ in model.parameters():
        p[...] = flat[i:i + p.size].reshape(p.shape)
        i += p.size


def test_flatten_matches_keras_and_reshapes_back():
    x = _data((2, 3, 4, 1))
    layer = Flatten()
    out = layer.forward(x)
    np.testing.assert_array_equal(out, keras.layers.Flatten(dtype="float64")(x).numpy())
    grad = layer.backward(out * 2.0)
    np.testing.assert_array_equal(grad, x * 2.0)


def test_activation_layer_forward_and_backward():
    x, g = _data((3, 4)), _data((3, 4), seed=1)
    layer = Activation("softmax")
    probs = layer.forward(x)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    xt = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.softmax(xt) * g)
    np.testing.assert_allclose(layer.backward(g), tape.gradient(loss, xt).numpy(), atol=ATOL)


def test_dropout_is_inverted_and_seeded():
    x = np.ones((200, 50))
    a, b = Dropout(0.25, rng=7), Dropout(0.25, rng=7)
    out = a.forward(x, training=True)
    np.testing.assert_array_equal(out, b.forward(x, training=True))  # same rng, same mask
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1.0 / 0.75)  # kept units scaled by 1/(1-rate)
    assert abs(kept.mean() - 0.75) < 0.02  # 10,000 draws: std of the mean is 0.004
    grad = a.backward(np.full_like(x, 3.0))
    np.testing.assert_array_equal(grad, np.where(kept, 3.0 / 0.75, 0.0))
    np.testing.assert_array_equal(a.forward(x, training=False), x)  # identity at test time
    np.testing.assert_array_equal(a.backward(x), x)


def test_dense_initialization_is_seeded_and_keras_shaped():
    w1 = Dense(64, 32, rng=0).params["W"]
    w2 = Dense(64, 32, rng=np.random.default_rng(0)).params["W"]
    np.testing.assert_array_equal(w1, w2)
    assert w1.shape == (64, 32) and w1.dtype == np.float64
    limit = np.sqrt(6 / (64 + 32))  # glorot_uniform, as Keras's default
    assert np.abs(w1).max() <= limit and np.abs(w1).max() > 0.9 * limit
    assert not np.any(Dense(64, 32, rng=0).params["b"])


def test_reprs_read_like_the_network():
    model = Sequential([Flatten(), Dense(64, 32, "relu"), Dropout(0.5), Dense(32, 10)])
    assert repr(model) == "Sequential(Flatten(), Dense(64->32, relu), Dropout(0.5), Dense(32->10, linear))"
    assert repr(Activation("tanh")) == "Activation(tanh)"
    assert model.n_params == 64 * 32 + 32 + 32 * 10 + 10


def test_predict_is_forward_without_dropout():
    model = Sequential([Dense(3, 4, "relu", rng=0), Dropout(0.5, rng=0), Dense(4, 2, rng=1)])
    x = _data((5, 3))
    np.testing.assert_array_equal(model.predict(x), model.forward(x, training=False))
    assert not np.array_equal(model.forward(x, training=True), model.predict(x))


# ---------------------------------------------------------------- bad input


def test_dense_wrong_number_of_features():
    with pytest.raises(ValueError) as err:
        Dense(64, 32).forward(np.zeros((8, 63)))
    assert str(err.value) == "Dense(64->32, linear): expected input of shape (batch, 64); received shape (8, 63)"
    with pytest.raises(ValueError, match=r"received shape \(64,\)"):
        Dense(64, 32).forward(np.zeros(64))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Dense(0, 3), ValueError, "Dense: n_in must be >= 1; received 0"),
        (lambda: Dense(2, 3.5), TypeError, "Dense: n_out must be an integer; received 3.5"),
        (lambda: Dense(2, 3, "swish"), ValueError, "Dense: activation must be one of"),
        (lambda: Dense(2, 3, init="ones"), ValueError, "Dense: init must be one of"),
        (lambda: Dense(2, 3, rng="seed"), TypeError, "Dense: rng must be a numpy.random.Generator"),
        (lambda: Activation("gelu"), ValueError, "Activation: name must be one of"),
        (lambda: Dropout(1.0), ValueError, "Dropout: rate must be in [0, 1); received 1.0"),
        (lambda: Dropout(-0.1), ValueError, "Dropout: rate must be finite and >= 0"),
        (lambda: Sequential([]), TypeError, "Sequential: layers must be a non-empty list"),
        (lambda: Sequential([Dense(2, 3), "relu"]), TypeError, "received ['str']"),
        (lambda: Flatten().forward(np.zeros(3)), ValueError, "Flatten: input must have a batch axis"),
        (lambda: Sequential([Dense(2, 3)]).predict(np.zeros(2)), ValueError,
         "Sequential.predict: x must be 2-D or 3-D or 4-D (batch, ...); received shape (2,)"),
    ],
)
def test_bad_arguments_are_refused(make, error, message):
    with pytest.raises(error) as err:
        make()
    assert message in str(err.value)


def test_backward_refuses_a_gradient_of_the_wrong_shape():
    """A (3, 1) gradient would broadcast silently against a (3, 2) output."""
    layer = Dense(4, 2, "tanh", rng=0)
    layer.forward(np.ones((3, 4)))
    with pytest.raises(ValueError) as err:
        layer.backward(np.ones((3, 1)))
    assert str(err.value) == (
        "Dense(4->2, tanh).backward: grad_out must have the shape of the forward output, "
        "(3, 2); received grad_out.shape=(3, 1)"
    )
    for other, x in [(Activation("relu"), np.ones((3, 2))), (Flatten(), np.ones((3, 2, 2))),
                     (Dropout(0.5, rng=0), np.ones((3, 2)))]:
        other.forward(x, training=True)
        with pytest.raises(ValueError, match="grad_out must have the shape of the forward output"):
            other.backward(np.ones((3, 5)))


@pytest.mark.parametrize("layer", [Dense(2, 2, rng=0), Activation("tanh"), Flatten(), Dropout(0.1, rng=0)],
                         ids=repr)
def test_backward_before_forward_says_so(layer):
    with pytest.raises(RuntimeError, match=r"\.backward: call forward first"):
        layer.backward(np.ones((1, 2)))


def test_sequential_refuses_a_non_list_by_name():
    for bad, shown in [(None, "NoneType"), (Dense(2, 2, rng=0), "Dense"), ("abc", "str")]:
        with pytest.raises(TypeError) as err:
            Sequential(bad)
        assert str(err.value) == ("Sequential: layers must be a non-empty list of layers with "
                                  f"forward/backward; received {shown}")


def test_dense_forward_names_the_layer_for_strings_nan_and_complex():
    layer = Dense(3, 2, rng=0)
    with pytest.raises(TypeError, match=r"^Dense\(3->2, linear\): x must be a numeric array; "
                                        r"received list \(strings or bytes"):
        layer.forward([["a", "b", "c"]])
    with pytest.raises(ValueError, match=r"^Dense\(3->2, linear\): x contains NaN or infinity"):
        layer.forward(np.array([[1.0, np.nan, 0.0]]))
    with pytest.raises(TypeError, match=r"^Dense\(3->2, linear\): x must be a real \(not complex\)"):
        layer.forward(np.ones((1, 3)) * 1j)


@pytest.mark.parametrize("kwargs, name", [({"activation": np.array(["relu"])}, "activation"),
                                          ({"init": np.array(["zeros"])}, "init"),
                                          ({"activation": None}, "activation")])
def test_dense_option_strings_must_be_str(kwargs, name):
    with pytest.raises(TypeError, match=rf"^Dense: {name} must be a str, one of .*; received "):
        Dense(2, 2, rng=0, **kwargs)


def test_dropout_training_flag_must_be_a_bool():
    with pytest.raises(TypeError, match=r"^Dropout\(0.5\): training must be True or False; received 'no'"):
        Dropout(0.5, rng=0).forward(np.ones((2, 2)), training="no")
