"""dlcourse.recurrent against Keras's SimpleRNN/GRU/LSTM, tf.GradientTape and finite differences.

Tolerances: the Keras layers run in float64 (``dtype="float64"``) with the weights
copied from NumPy, so both sides compute the same float64 expressions in a
slightly different order: differences are a few ulps (~1e-15 observed), and
``TOL = 1e-10`` leaves ample margin while catching any wrong gate or index.
Finite differences (central, eps=1e-6) of these smooth functions are accurate to
~1e-9 relative, hence ``check_gradient``'s default tol=1e-6.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from dlcourse import activations, recurrent  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402

TOL = dict(rtol=1e-10, atol=1e-10)
BATCH, STEPS, FEATURES, UNITS = 3, 6, 4, 5


def _keras(layer_cls, x, weights, **kwargs):
    """Run a float64 Keras recurrent layer on ``x`` with the given weights."""
    layer = layer_cls(UNITS, return_sequences=True, dtype="float64", **kwargs)
    layer.build(x.shape)
    layer.set_weights(weights)
    return layer, layer(x).numpy()


def _weights(rng, gates, features=FEATURES, units=UNITS, bias_shape=None):
    kernel = rng.normal(scale=0.5, size=(features, gates * units))
    recurrent_kernel = rng.normal(scale=0.5, size=(units, gates * units))
    bias = rng.normal(scale=0.5, size=bias_shape or (gates * units,))
    return kernel, recurrent_kernel, bias


@pytest.fixture
def x():
    return np.random.default_rng(0).normal(size=(BATCH, STEPS, FEATURES))


# --- forward against Keras ---------------------------------------------------------


def test_rnn_forward_equals_keras_simple_rnn(x):
    W, U, b = _weights(np.random.default_rng(1), 1)
    _, ref = _keras(keras.layers.SimpleRNN, x, [W, U, b])
    h_all, cache = recurrent.rnn_forward(x, W, U, b)
    assert h_all.shape == (BATCH, STEPS, UNITS) and h_all.dtype == np.float64
    np.testing.assert_allclose(h_all, ref, **TOL)
    np.testing.assert_array_equal(cache.h, h_all)


def test_rnn_forward_with_initial_state_and_step(x):
    W, U, b = _weights(np.random.default_rng(2), 1)
    h0 = np.random.default_rng(3).normal(size=(BATCH, UNITS))
    layer, _ = _keras(keras.layers.SimpleRNN, x, [W, U, b])
    ref = layer(x, initial_state=h0).numpy()
    h_all, _ = recurrent.rnn_forward(x, W, U, b, h0=h0)
    np.testing.assert_allclose(h_all, ref, **TOL)
    # the unrolled loop is rnn_step applied again and again
    h = h0
    for t in range(STEPS):
        h = recurrent.rnn_step(x[:, t], h, W, U, b)
        np.testing.assert_allclose(h, h_all[:, t], **TOL)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_forward_equals_keras_gru(x, reset_after):
    bias_shape = (2, 3 * UNITS) if reset_after else (3 * UNITS,)
    weights = _weights(np.random.default_rng(4), 3, bias_shape=bias_shape)
    _, ref = _keras(keras.layers.GRU, x, list(weights), reset_after=reset_after)
    h_all = recurrent.gru_forward(x, *weights, reset_after=reset_after)
    np.testing.assert_allclose(h_all, ref, **TOL)
    h1 = recurrent.gru_step(x[:, 0], np.zeros((BATCH, UNITS)), *weights, reset_after=reset_after)
    np.testing.assert_allclose(h1, h_all[:, 0], **TOL)


def test_gru_with_initial_state(x):
    weights = _weights(np.random.default_rng(5), 3, bias_shape=(2, 3 * UNITS))
    h0 = np.random.default_rng(6).normal(size=(BATCH, UNITS))
    layer, _ = _keras(keras.layers.GRU, x, list(weights))
    np.testing.assert_allclose(
        recurrent.gru_forward(x, *weights, h0=h0), layer(x, initial_state=h0).numpy(), **TOL
    )


def test_lstm_forward_equals_keras_lstm(x):
    weights = _weights(np.random.default_rng(7), 4)
    h0, c0 = np.random.default_rng(8).normal(size=(2, BATCH, UNITS))
    layer = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True, dtype="float64")
    layer.build(x.shape)
    layer.set_weights(list(weights))
    ref_h, ref_hT, ref_cT = (t.numpy() for t in layer(x, initial_state=[h0, c0]))
    h_all, c_all = recurrent.lstm_forward(x, *weights, h0=h0, c0=c0)
    np.testing.assert_allclose(h_all, ref_h, **TOL)
    np.testing.assert_allclose(h_all[:, -1], ref_hT, **TOL)
    np.testing.assert_allclose(c_all[:, -1], ref_cT, **TOL)
    h1, c1 = recurrent.lstm_step(x[:, 0], h0, c0, *weights)
    np.testing.assert_allclose(h1, h_all[:, 0], **TOL)
    np.testing.assert_allclose(c1, c_all[:, 0], **TOL)


def test_lstm_default_state_is_zero(x):
    weights = _weights(np.random.default_rng(9), 4)
    _, ref = _keras(keras.layers.LSTM, x, list(weights))
    np.testing.assert_allclose(recurrent.lstm_forward(x, *weights)[0], ref, **TOL)


# --- the gated update ------------------------------------------------------------------


def test_gated_update_formula_and_extremes():
    rng = np.random.default_rng(10)
    h_prev, h_tilde = rng.normal(size=(2, 3, 4))
    a = rng.uniform(size=(3, 4))
    np.testing.assert_allclose(recurrent.gated_update(h_prev, h_tilde, a),
                               a * h_tilde + (1 - a) * h_prev, **TOL)
    np.testing.assert_array_equal(recurrent.gated_update(h_prev, h_tilde, 0.0), h_prev)
    np.testing.assert_array_equal(recurrent.gated_update(h_prev, h_tilde, 1.0), h_tilde)
    # Keras's form h = z * h_prev + (1 - z) * h_tilde is the same update with z = 1 - a
    z = 1 - a
    np.testing.assert_allclose(recurrent.gated_update(h_prev, h_tilde, a),
                               z * h_prev + (1 - z) * h_tilde, **TOL)


def test_gru_step_is_the_gated_update_with_a_equal_one_minus_z():
    """Recompute Keras's GRU gates by hand; the last line of the cell is gated_update."""
    rng = np.random.default_rng(11)
    kernel, rk, bias = _weights(rng, 3, bias_shape=(2, 3 * UNITS))
    x_t, h_prev = rng.normal(size=(BATCH, FEATURES)), rng.normal(size=(BATCH, UNITS))
    u = UNITS
    mx, mh = x_t @ kernel + bias[0], h_prev @ rk + bias[1]
    z = activations.sigmoid(mx[:, :u] + mh[:, :u])
    r = activations.sigmoid(mx[:, u:2 * u] + mh[:, u:2 * u])
    h_tilde = np.tanh(mx[:, 2 * u:] + r * mh[:, 2 * u:])
    np.testing.assert_allclose(recurrent.gru_step(x_t, h_prev, kernel, rk, bias),
                               recurrent.gated_update(h_prev, h_tilde, 1 - z), **TOL)


# --- backpropagation through time ----------------------------------------------------------


def _tf_rnn_loss(x, W, U, b, h0, G, f):
    """L = sum_t <G_t, h_t>, the RNN written directly with TensorFlow ops."""
    h, loss = h0, 0.0
    for t in range(x.shape[1]):
        h = f(x[:, t] @ W + h @ U + b)
        loss += tf.reduce_sum(h * G[:, t])
    return loss


TF_ACTIVATIONS = {"tanh": tf.tanh, "sigmoid": tf.sigmoid, "relu": tf.nn.relu,
                  "linear": tf.identity}


@pytest.mark.parametrize("activation", list(TF_ACTIVATIONS))
def test_rnn_backward_equals_gradient_tape(x, activation):
    rng = np.random.default_rng(12)
    W, U, b = _weights(rng, 1)
    h0 = rng.normal(size=(BATCH, UNITS))
    G = rng.normal(size=(BATCH, STEPS, UNITS))
    h_all, cache = recurrent.rnn_forward(x, W, U, b, h0=h0, activation=activation)
    grads = recurrent.rnn_backward(G, cache)

    names = ["x", "W", "U", "b", "h0"]
    ts = [tf.constant(v) for v in (x, W, U, b, h0)]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        loss = _tf_rnn_loss(*ts, G, TF_ACTIVATIONS[activation])
    np.testing.assert_allclose(np.sum(h_all * G), loss.numpy(), **TOL)
    for name, ref in zip(names, tape.gradient(loss, ts)):
        assert grads[name].shape == ref.shape
        np.testing.assert_allclose(grads[name], ref.numpy(), **TOL, err_msg=name)


def test_rnn_backward_equals_keras_simple_rnn_gradients(x):
    W, U, b = _weights(np.random.default_rng(13), 1)
    G = np.random.default_rng(14).normal(size=(BATCH, STEPS, UNITS))
    layer, _ = _keras(keras.layers.SimpleRNN, x, [W, U, b])
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(layer(xt) * G)
    ref_x, ref_W, ref_U, ref_b = tape.gradient(loss, [xt, *layer.trainable_weights])
    grads = recurrent.rnn_backward(G, recurrent.rnn_forward(x, W, U, b)[1])
    for name, ref in [("x", ref_x), ("W", ref_W), ("U", ref_U), ("b", ref_b)]:
        np.testing.assert_allclose(grads[name], np.asarray(ref), **TOL, err_msg=name)


def test_rnn_backward_passes_gradcheck():
    rng = np.random.default_rng(15)
    x = rng.normal(size=(2, 4, 3))
    W, U, b = _weights(rng, 1, features=3, units=2)
    h0 = rng.normal(size=(2, 2))
    G = rng.normal(size=(2, 4, 2))
    grads = recurrent.rnn_backward(G, recurrent.rnn_forward(x, W, U, b, h0=h0)[1])
    values = dict(x=x, W=W, U=U, b=b, h0=h0)

    for name in values:
        def f(v, name=name):
            args = dict(values, **{name: v})
            h_all, _ = recurrent.rnn_forward(args["x"], args["W"], args["U"], args["b"],
                                             h0=args["h0"])
            return float(np.sum(h_all * G))

        result = check_gradient(f, grads[name], values[name])
        assert result.passed, f"d/d{name}: {result}"


def _grad_norm_at_start(U, steps, activation="tanh", seed=16):
    """||dL/dh_0|| for L = <g, h_T>: how much of the last step's signal reaches the start."""
    rng = np.random.default_rng(seed)
    units = U.shape[0]
    x = rng.normal(size=(1, steps, 3))
    W = rng.normal(scale=0.5, size=(3, units))
    G = np.zeros((1, steps, units))
    G[:, -1] = rng.normal(size=units)  # the loss reads only the last state
    _, cache = recurrent.rnn_forward(x, W, U, np.zeros(units), activation=activation)
    return np.linalg.norm(recurrent.rnn_backward(G, cache)["h0"]), np.linalg.norm(G)


def test_gradients_vanish_through_long_sequences_with_small_recurrent_weights():
    units = 8
    q, _ = np.linalg.qr(np.random.default_rng(17).normal(size=(units, units)))
    U = 0.5 * q  # every singular value 0.5: each step back multiplies the norm by <= 0.5
    steps = [1, 2, 5, 10, 20, 40]
    norms = [_grad_norm_at_start(U, T)[0] for T in steps]
    g_norm = _grad_norm_at_start(U, 1)[1]
    assert all(a > b for a, b in zip(norms, norms[1:])), norms
    # |tanh'| <= 1 and ||U|| = 0.5, so ||dL/dh_0|| <= 0.5**T ||g||
    for T, n in zip(steps, norms):
        assert n <= 0.5**T * g_norm * (1 + 1e-12)
    assert norms[-1] < 1e-12 * norms[0]


def test_gradients_do_not_vanish_with_an_orthogonal_linear_recurrence():
    """The contrast: with f linear and U orthogonal, each step back preserves the norm."""
    q, _ = np.linalg.qr(np.random.default_rng(18).normal(size=(8, 8)))
    for T in [1, 10, 40]:
        n, g_norm = _grad_norm_at_start(q, T, activation="linear")
        assert n == pytest.approx(g_norm, rel=1e-10)


# --- bad input -------------------------------------------------------------------------


def _raises(exc, match, fn, *args, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


def test_sequence_must_be_batch_time_features():
    W, U, b = _weights(np.random.default_rng(0), 1)
    _raises(ValueError, r"^rnn_forward: x must be 3-D \(batch, time, features\); "
            r"received shape \(6, 4\)$", recurrent.rnn_forward, np.zeros((6, 4)), W, U, b)
    _raises(ValueError, r"gru_forward: x must be 3-D \(batch, time, features\)",
            recurrent.gru_forward, np.zeros(4), *_weights(np.random.default_rng(0), 3,
                                                           bias_shape=(2, 15)))
    _raises(ValueError, r"lstm_forward: x must be 3-D", recurrent.lstm_forward,
            np.zeros((1, 2, 3, 4)), *_weights(np.random.default_rng(0), 4))
    _raises(ValueError, r"rnn_step: x_t must be 2-D \(batch, features\)",
            recurrent.rnn_step, np.zeros(4), np.zeros((1, UNITS)), W, U, b)


def test_weight_shapes_are_checked(x):
    W, U, b = _weights(np.random.default_rng(0), 1)
    _raises(ValueError, r"rnn_forward: W must have shape \(features, 1 \* units\) = \(4, 5\) "
            r"for inputs with 4 features and 5 units; received W.shape=\(3, 5\)",
            recurrent.rnn_forward, x, W[:3], U, b)
    _raises(ValueError, r"rnn_forward: U must have shape \(units, 1 \* units\); "
            r"received U.shape=\(5, 4\)", recurrent.rnn_forward, x, W, U[:, :4], b)
    _raises(ValueError, r"rnn_forward: b must have shape \(5,\)", recurrent.rnn_forward,
            x, W, U, b[:2])
    k, rk, bias = _weights(np.random.default_rng(0), 3)  # a (15,) bias
    _raises(ValueError, r"gru_forward: bias must be 2-D", recurrent.gru_forward, x, k, rk, bias)
    _raises(ValueError, r"gru_forward: bias must have shape \(2, 15\) for 5 units; "
            r"received bias.shape=\(2, 12\)",
            recurrent.gru_forward, x, k, rk, np.zeros((2, 12)))
    recurrent.gru_forward(x, k, rk, bias, reset_after=False)  # the right bias for this variant
    _raises(ValueError, r"lstm_forward: recurrent_kernel must have shape \(units, 4 \* units\); "
            r"received recurrent_kernel.shape=\(5, 15\)", recurrent.lstm_forward, x, k, rk, bias)
    k4, rk4, b4 = _weights(np.random.default_rng(0), 4)
    _raises(ValueError, r"lstm_forward: kernel must have shape \(features, 4 \* units\) = "
            r"\(4, 20\)", recurrent.lstm_forward, x, k4[:, :15], rk4, b4)


def test_states_and_options_are_checked(x):
    W, U, b = _weights(np.random.default_rng(0), 1)
    _raises(ValueError, r"rnn_forward: h0 must have shape \(batch, units\) = \(3, 5\); "
            r"received h0.shape=\(1, 5\)", recurrent.rnn_forward, x, W, U, b, h0=np.zeros((1, 5)))
    _raises(ValueError, r"rnn_forward: activation must be one of .*received 'swish'",
            recurrent.rnn_forward, x, W, U, b, activation="swish")
    _raises(ValueError, r"lstm_step: c_prev must have shape", recurrent.lstm_step,
            x[:, 0], np.zeros((3, 5)), np.zeros((3, 4)), *_weights(np.random.default_rng(0), 4))


def test_rnn_backward_checks_its_inputs(x):
    W, U, b = _weights(np.random.default_rng(0), 1)
    h_all, cache = recurrent.rnn_forward(x, W, U, b)
    _raises(TypeError, r"rnn_backward: cache must be the RNNCache returned by rnn_forward; "
            r"received tuple", recurrent.rnn_backward, h_all, (h_all, cache))
    _raises(ValueError, r"rnn_backward: grad_h_all must have the shape of the hidden states "
            r"\(3, 6, 5\); received grad_h_all.shape=\(3, 2, 5\)",
            recurrent.rnn_backward, h_all[:, :2], cache)
    _raises(ValueError, r"rnn_backward: grad_h_all must be 3-D \(batch, time, units\); "
            r"received shape \(3, 5\)", recurrent.rnn_backward, h_all[:, 0], cache)


def test_gated_update_checks_its_inputs():
    h = np.zeros((2, 3))
    _raises(ValueError, r"gated_update: h_prev and h_tilde must have the same shape; "
            r"received h_prev.shape=\(2, 3\) and h_tilde.shape=\(3, 2\)",
            recurrent.gated_update, h, np.zeros((3, 2)), 0.5)
    _raises(ValueError, r"gated_update: a must have the shape of h_prev \(2, 3\) or broadcast "
            r"to it; received a.shape=\(2,\)", recurrent.gated_update, h, h, np.ones(2) / 2)
    _raises(ValueError, r"gated_update: a is a gate and must lie in \[0, 1\]",
            recurrent.gated_update, h, h, 1.5)
