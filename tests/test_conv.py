"""dlcourse.conv against TensorFlow (tf.nn.conv2d, pooling, GradientTape) and finite differences.

Tolerances: everything runs in float64. A convolution output is a sum of at most a
few hundred products of O(1) numbers, so NumPy and TensorFlow, which add in
different orders, differ by a few ulps (~1e-15 observed); ``TOL = 1e-10`` leaves
five orders of magnitude of margin and still catches any wrong index. Finite
differences of these (linear) functions are exact up to rounding,
~1e-16 * |f| / eps ~ 1e-10 relative, so ``check_gradient``'s default tol=1e-6 holds.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from dlcourse import conv  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402
from dlcourse.layers import Dense, Flatten, Sequential  # noqa: E402

TOL = dict(rtol=1e-10, atol=1e-10)


def _tf_padding(padding):
    if isinstance(padding, str):
        return padding.upper()
    return [[0, 0], [padding, padding], [padding, padding], [0, 0]]


def _tape(fn, *arrays, seed=0):
    """Output of ``fn`` and the gradients of L = sum(fn(*arrays) * G), G random."""
    ts = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = fn(*ts)
        g = np.random.default_rng(seed).normal(size=y.shape)
        loss = tf.reduce_sum(y * g)
    return y.numpy(), g, [d.numpy() for d in tape.gradient(loss, ts)]


# (batch, height, width, in_channels, out_channels, kernel, stride, padding)
CONV_CASES = [
    (2, 7, 6, 3, 4, (3, 3), 1, "valid"),
    (2, 7, 6, 3, 4, (3, 3), 1, "same"),
    (2, 7, 6, 3, 4, (3, 3), 2, "same"),  # odd padding split: extra row at the bottom
    (3, 8, 8, 1, 16, (3, 3), 1, "valid"),  # a digit, 16 filters
    (1, 9, 10, 2, 3, (4, 2), (2, 3), "same"),  # rectangular kernel and stride
    (2, 8, 7, 2, 5, (2, 2), 3, "valid"),  # stride larger than the kernel
    (2, 5, 6, 3, 2, (3, 3), 2, 1),  # explicit zero padding
    (1, 4, 4, 2, 2, (4, 4), 1, "valid"),  # kernel as large as the image: one output
]


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_and_backward_equal_tensorflow(case):
    n, h, w, c, o, (kh, kw), stride, padding = case
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, h, w, c))
    k = rng.normal(size=(kh, kw, c, o))
    b = rng.normal(size=o)

    def tf_fn(x_, k_, b_):
        return tf.nn.conv2d(x_, k_, stride, _tf_padding(padding)) + b_

    y_tf, g, (dx_tf, dk_tf, db_tf) = _tape(tf_fn, x, k, b)

    y = conv.conv2d(x, k, b, stride=stride, padding=padding)
    assert y.dtype == np.float64 and y.shape == y_tf.shape
    np.testing.assert_allclose(y, y_tf, **TOL)

    dx, dk, db = conv.conv2d_backward(g, x, k, stride=stride, padding=padding)
    np.testing.assert_allclose(dx, dx_tf, **TOL)
    np.testing.assert_allclose(dk, dk_tf, **TOL)
    np.testing.assert_allclose(db, db_tf, **TOL)


def test_conv2d_without_bias_and_with_lists():
    x = np.arange(2 * 4 * 4 * 1, dtype=float).reshape(2, 4, 4, 1)
    k = np.ones((2, 2, 1, 1))
    y = conv.conv2d(x.tolist(), k.tolist())
    # a 2x2 box sum: top-left window of image 0 is 0 + 1 + 4 + 5
    assert y.shape == (2, 3, 3, 1) and y[0, 0, 0, 0] == 10.0


def test_same_padding_puts_the_odd_row_after():
    """TF's rule: total padding (out-1)*s + k - in, the smaller half first."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(1, 5, 6, 2))
    k = rng.normal(size=(4, 3, 2, 3))
    # height: out 5, total 3 -> 1 top, 2 bottom; width: total 2 -> 1 left, 1 right
    padded = np.pad(x, ((0, 0), (1, 2), (1, 1), (0, 0)))
    np.testing.assert_allclose(
        conv.conv2d(x, k, padding="same"), conv.conv2d(padded, k, padding="valid"), **TOL
    )


def test_conv2d_backward_passes_gradcheck():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 5, 2))
    k = rng.normal(size=(3, 3, 2, 3))
    b = rng.normal(size=3)
    args = dict(stride=2, padding="same")
    g = rng.normal(size=conv.conv2d(x, k, b, **args).shape)
    dx, dk, db = conv.conv2d_backward(g, x, k, **args)

    for name, value, grad, f in [
        ("x", x, dx, lambda v: np.sum(conv.conv2d(v, k, b, **args) * g)),
        ("w", k, dk, lambda v: np.sum(conv.conv2d(x, v, b, **args) * g)),
        ("b", b, db, lambda v: np.sum(conv.conv2d(x, k, v, **args) * g)),
    ]:
        result = check_gradient(f, grad, value)
        assert result.passed, f"d/d{name}: {result}"


def test_correlate1d_is_the_articles_sum_and_does_not_flip():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    k = np.array([1.0, 0.0, -1.0])
    # one window: the articles' x * k = sum_i x[i] k[i]
    assert conv.correlate1d(x[:3], k)[0] == pytest.approx(np.sum(x[:3] * k))
    np.testing.assert_allclose(conv.correlate1d(x, k), [-2.0, -2.0])
    np.testing.assert_allclose(conv.correlate1d(x, k), np.correlate(x, k, "valid"))
    # the textbook convolution flips the kernel, which changes the sign here
    np.testing.assert_allclose(np.convolve(x, k, "valid"), [2.0, 2.0])


def test_conv2d_is_correlate1d_on_a_row():
    rng = np.random.default_rng(4)
    x, k = rng.normal(size=9), rng.normal(size=4)
    y = conv.conv2d(x.reshape(1, 1, 9, 1), k.reshape(1, 4, 1, 1))
    np.testing.assert_allclose(y.ravel(), conv.correlate1d(x, k), **TOL)


# (size, stride, padding)
POOL_CASES = [(2, None, "valid"), (2, None, "same"), (3, 2, "same"), (3, 1, "valid"),
              ((2, 3), (1, 2), "valid")]


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_and_backward_equal_tensorflow(kind, case):
    size, stride, padding = case
    x = np.random.default_rng(5).normal(size=(2, 7, 5, 3))
    tf_pool = {"max": tf.nn.max_pool2d, "avg": tf.nn.avg_pool2d}[kind]
    fwd = getattr(conv, f"{kind}_pool2d")
    bwd = getattr(conv, f"{kind}_pool2d_backward")
    y_tf, g, (dx_tf,) = _tape(
        lambda x_: tf_pool(x_, size, size if stride is None else stride, padding.upper()), x
    )
    np.testing.assert_allclose(fwd(x, size, stride, padding), y_tf, **TOL)
    np.testing.assert_allclose(bwd(g, x, size, stride, padding), dx_tf, **TOL)


def test_max_pool_backward_sends_ties_to_the_first_maximum_like_tensorflow():
    x = np.array([[0.0, 1.0], [1.0, 1.0]]).reshape(1, 2, 2, 1)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.reduce_sum(tf.nn.max_pool2d(xt, 2, 2, "VALID"))
    dx = conv.max_pool2d_backward(np.ones((1, 1, 1, 1)), x)
    np.testing.assert_array_equal(dx.ravel(), [0.0, 1.0, 0.0, 0.0])
    np.testing.assert_array_equal(dx, tape.gradient(y, xt).numpy())


def test_conv2d_layer_equals_keras_conv2d():
    layer = conv.Conv2D(2, 4, kernel_size=3, stride=2, padding="same", activation="relu", rng=0)
    layer.params["b"][...] = np.random.default_rng(6).normal(size=4)
    ref = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu", dtype="float64")
    x = np.random.default_rng(7).normal(size=(3, 6, 5, 2))
    ref.build(x.shape)
    ref.set_weights([layer.params["W"], layer.params["b"]])
    np.testing.assert_allclose(layer.forward(x), ref(x).numpy(), **TOL)


def test_conv2d_layer_initializer_uses_keras_fans():
    layer = conv.Conv2D(3, 8, kernel_size=(3, 5), rng=0)
    limit = np.sqrt(6.0 / (3 * 5 * 3 + 3 * 5 * 8))  # Glorot, fan = kh * kw * channels
    w = layer.params["W"]
    assert w.shape == (3, 5, 3, 8) and w.dtype == np.float64
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.9 * limit
    np.testing.assert_array_equal(layer.params["b"], np.zeros(8))
    assert set(layer.grads) == {"W", "b"}


def test_cnn_in_sequential_backpropagates_correctly():
    """Conv2D -> MaxPool2D -> Flatten -> Dense: every gradient matches finite differences."""
    rng = np.random.default_rng(8)
    model = Sequential([
        conv.Conv2D(1, 3, kernel_size=3, padding="same", activation="tanh", rng=1),
        conv.MaxPool2D(2),
        Flatten(),
        Dense(3 * 3 * 3, 2, rng=2),
    ])
    x = rng.normal(size=(2, 6, 6, 1))
    g = rng.normal(size=(2, 2))
    assert model.forward(x).shape == (2, 2)
    dx = model.backward(g)
    assert model.n_params == 3 * 3 * 1 * 3 + 3 + 27 * 2 + 2

    def loss_of(param):
        def f(v):
            saved = param.copy()
            param[...] = v
            out = np.sum(model.forward(x) * g)
            param[...] = saved
            return out
        return f

    conv_layer = model.layers[0]
    for name in ("W", "b"):
        p = conv_layer.params[name]
        result = check_gradient(loss_of(p), conv_layer.grads[name].copy(), p.copy())
        assert result.passed, f"Conv2D d/d{name}: {result}"
    result = check_gradient(lambda v: np.sum(model.forward(v) * g), dx, x)
    assert result.passed, f"d/dx: {result}"


def test_layer_reprs():
    assert repr(conv.Conv2D(1, 16, 3, activation="relu", rng=0)) == (
        "Conv2D(1->16, 3x3, stride=1, padding='valid', relu)"
    )
    assert repr(conv.MaxPool2D(2)) == "MaxPool2D(2x2, stride=2, padding='valid')"
    assert repr(conv.MaxPool2D((3, 2), stride=(1, 2), padding="same")) == (
        "MaxPool2D(3x2, stride=1x2, padding='same')"
    )
    assert conv.MaxPool2D().params == {} and conv.MaxPool2D().grads == {}


# --- bad input -----------------------------------------------------------------


def _raises(exc, match, fn, *args, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


X = np.zeros((2, 8, 8, 3))
W = np.zeros((3, 3, 3, 4))


def test_x_must_be_nhwc():
    _raises(ValueError, r"^conv2d: x must be 4-D \(batch, height, width, channels\); "
            r"received shape \(8, 8\)$", conv.conv2d, np.zeros((8, 8)), W)
    _raises(ValueError, r"max_pool2d: x must be 4-D .*received shape \(8, 8, 1\)",
            conv.max_pool2d, np.zeros((8, 8, 1)))
    _raises(ValueError, r"conv2d: w must be 4-D \(kernel_height, kernel_width, in_channels, "
            r"out_channels\)", conv.conv2d, X, np.zeros((3, 3)))
    _raises(TypeError, r"conv2d: x must be an array, received None", conv.conv2d, None, W)


def test_channel_mismatch_names_both_shapes():
    _raises(ValueError, r"conv2d: x has 3 channels but w expects 2 input channels.*"
            r"x.shape=\(2, 8, 8, 3\) and w.shape=\(3, 3, 2, 4\)",
            conv.conv2d, X, np.zeros((3, 3, 2, 4)))


@pytest.mark.parametrize("stride", [0, -1, (1, 0)])
def test_stride_must_be_positive(stride):
    _raises(ValueError, r"conv2d: stride must be >= 1", conv.conv2d, X, W, stride=stride)
    _raises(ValueError, r"max_pool2d: stride must be >= 1", conv.max_pool2d, X, 2, stride)


def test_bad_stride_type_and_padding():
    _raises(TypeError, r"conv2d: stride must be an integer; received 1.5",
            conv.conv2d, X, W, stride=1.5)
    _raises(ValueError, r"conv2d: stride must be an int or a pair", conv.conv2d, X, W,
            stride=(1, 1, 1))
    _raises(ValueError, r"conv2d: padding must be one of .*'valid'.*; received 'full'",
            conv.conv2d, X, W, padding="full")
    _raises(ValueError, r"conv2d: padding must be >= 0; received -1", conv.conv2d, X, W,
            padding=-1)
    _raises(ValueError, r"avg_pool2d: padding must be 'valid' or 'same'; received 1",
            conv.avg_pool2d, X, 2, None, 1)


def test_kernel_larger_than_padded_input():
    _raises(ValueError, r"conv2d: the 9x9 kernel is larger than the padded input \(8x8 with "
            r"padding='valid'\); received x.shape=\(2, 8, 8, 3\) and w.shape=\(9, 9, 3, 4\)",
            conv.conv2d, X, np.zeros((9, 9, 3, 4)))
    conv.conv2d(X, np.zeros((9, 9, 3, 4)), padding=1)  # 10x10 after padding: fits
    _raises(ValueError, r"max_pool2d: the 3x3 pooling window is larger than the padded input",
            conv.max_pool2d, np.zeros((1, 2, 2, 1)), 3)


def test_bias_and_grad_out_shapes():
    _raises(ValueError, r"conv2d: b must have shape \(4,\), one bias per filter; "
            r"received b.shape=\(3,\)", conv.conv2d, X, W, np.zeros(3))
    _raises(ValueError, r"conv2d_backward: grad_out must have the shape of the forward output, "
            r"\(2, 6, 6, 4\); received grad_out.shape=\(2, 8, 8, 4\)",
            conv.conv2d_backward, np.zeros((2, 8, 8, 4)), X, W)
    _raises(ValueError, r"max_pool2d_backward: grad_out must have the shape of the forward output",
            conv.max_pool2d_backward, np.zeros((2, 3, 3, 3)), X)


def test_correlate1d_bad_input():
    _raises(ValueError, r"correlate1d: k must have between 1 and len\(x\) elements; "
            r"received x.shape=\(2,\) and k.shape=\(3,\)",
            conv.correlate1d, np.ones(2), np.ones(3))
    _raises(ValueError, r"correlate1d: x must be 1-D", conv.correlate1d, np.ones((2, 2)), [1.0])


def test_layer_bad_input():
    layer = conv.Conv2D(3, 4, 3, rng=0)
    _raises(ValueError, r"Conv2D\(3->4, 3x3.*\): x must be 4-D .*received shape \(8, 8\)",
            layer.forward, np.zeros((8, 8)))
    _raises(ValueError, r"conv2d: x has 1 channels but w expects 3", layer.forward,
            np.zeros((1, 8, 8, 1)))
    _raises(ValueError, r"Conv2D: filters must be >= 1; received 0", conv.Conv2D, 3, 0)
    _raises(ValueError, r"Conv2D: activation must be one of", conv.Conv2D, 3, 4,
            activation="swish")
    _raises(ValueError, r"MaxPool2D: size must be >= 1", conv.MaxPool2D, 0)


@pytest.mark.parametrize("layer", [conv.Conv2D(1, 2, 3, rng=0), conv.MaxPool2D(2)], ids=repr)
def test_conv_layers_backward_before_forward_says_so(layer):
    """Conv2D and MaxPool2D follow the layers' protocol: backward first says "call forward first"."""
    with pytest.raises(RuntimeError) as err:
        layer.backward(np.ones((1, 2, 2, 2)))
    assert str(err.value).startswith(f"{layer!r}.backward: call forward first")


def test_conv_uses_the_public_activation_and_gradient_helpers():
    """One home: conv.py reuses activations.activate/activate_backward and _validate's
    grad_out check instead of private copies."""
    from dlcourse import _validate, activations, initializers, layers, regularization
    assert conv.activate is activations.activate
    assert conv.activate_backward is activations.activate_backward
    assert conv.check_grad_out is _validate.check_grad_out
    assert not hasattr(conv, "_check_grad_out")
    assert not hasattr(layers, "_activate") and not hasattr(initializers, "_rng")
    for module in (conv, layers, initializers, regularization):  # one rng coercion
        assert module.as_rng is _validate.as_rng
