"""dlcourse.activations against TensorFlow, finite differences and bad input.

Tolerances: both sides compute in float64; TensorFlow's kernels use different
but equivalent formulas (e.g. Eigen's tanh), so values agree to a few units in
the last place: ``atol=1e-14`` for quantities bounded by 1 (sigmoid, tanh,
softmax and their derivatives) and ``rtol=1e-14`` otherwise. Leaky ReLU is
the exception where TensorFlow stores ``alpha`` as a float32 attribute (see
``test_leaky_relu_default_alpha_is_float32_in_tf``).
"""

import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

from dlcourse import activations as act
from dlcourse.gradcheck import check_gradient

tf = pytest.importorskip("tensorflow")

ATOL = 1e-14  # a few float64 ulps of a value in [-1, 1]


@pytest.fixture
def x():
    """Random pre-activations, plus exact zeros (the kinks) and large values."""
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 4.0, size=(16, 5))
    x[0, :] = [0.0, -0.0, 30.0, -30.0, 1e-3]
    return x


def tape_grad(tf_fn, x):
    """d(sum f(x))/dx by tf.GradientTape: the element-wise derivative."""
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.reduce_sum(tf_fn(xt))
    return tape.gradient(y, xt).numpy()


ELEMENTWISE = [
    ("sigmoid", act.sigmoid, act.sigmoid_grad, tf.nn.sigmoid),
    ("tanh", act.tanh, act.tanh_grad, tf.nn.tanh),
    ("relu", act.relu, act.relu_grad, tf.nn.relu),
    ("linear", act.linear, act.linear_grad, tf.identity),
]


@pytest.mark.parametrize("name,f,df,tf_fn", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_forward_matches_tensorflow(name, f, df, tf_fn, x):
    got = f(x)
    assert got.dtype == np.float64 and got.shape == x.shape
    np.testing.assert_allclose(got, tf_fn(tf.constant(x)).numpy(), rtol=1e-14, atol=ATOL)


@pytest.mark.parametrize("name,f,df,tf_fn", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_derivative_matches_gradient_tape(name, f, df, tf_fn, x):
    # x contains exact zeros: ReLU'(0) = 0 is TensorFlow's convention too.
    np.testing.assert_allclose(df(x), tape_grad(tf_fn, x), rtol=1e-13, atol=ATOL)


@pytest.mark.parametrize("name,f,df,tf_fn", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_derivative_passes_finite_differences(name, f, df, tf_fn):
    # Points away from ReLU's kink at 0, where finite differences are meaningless.
    x = np.array([-3.0, -1.2, -0.4, 0.3, 0.9, 2.5])
    w = np.linspace(0.5, 1.5, x.size)  # weights so each entry's derivative counts
    result = check_gradient(lambda v: float(np.sum(w * f(v))), w * df(x), x)
    assert result.passed, str(result)
    assert result.max_rel_error < 1e-8


@pytest.mark.parametrize("alpha", [0.25, 0.125, 0.0])
def test_leaky_relu_matches_tensorflow(alpha, x):
    # alphas exactly representable in float32, so TF's float32 attribute is exact
    np.testing.assert_allclose(
        act.leaky_relu(x, alpha), tf.nn.leaky_relu(x, alpha=alpha).numpy(), rtol=1e-15, atol=0
    )
    np.testing.assert_allclose(
        act.leaky_relu_grad(x, alpha),
        tape_grad(lambda t: tf.nn.leaky_relu(t, alpha=alpha), x),
        rtol=1e-15,
        atol=0,
    )


def test_leaky_relu_default_alpha_is_float32_in_tf(x):
    # The default slope is Keras's (keras.activations.leaky_relu, tf.nn.leaky_relu): 0.2.
    # tf.nn.leaky_relu keeps alpha in a float32 attribute: 0.2 becomes
    # 0.200000003..., a relative difference of 1.5e-8 on negative inputs.
    got = act.leaky_relu(x)  # alpha=0.2 by default
    np.testing.assert_allclose(got, tf.nn.leaky_relu(x).numpy(), rtol=5e-8)
    np.testing.assert_allclose(got, np.where(x > 0, x, 0.2 * x), rtol=0, atol=0)
    assert act.leaky_relu_grad(np.array([0.0]))[0] == 0.2
    assert act.leaky_relu_grad(np.array([0.0]), alpha=0.01)[0] == 0.01  # TF: alpha at 0


def test_leaky_relu_passes_finite_differences():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    res = check_gradient(lambda v: float(np.sum(act.leaky_relu(v, 0.1) ** 2)),
                         lambda v: 2 * act.leaky_relu(v, 0.1) * act.leaky_relu_grad(v, 0.1), x)
    assert res.passed, str(res)


def test_step_and_its_zero_derivative():
    x = np.array([-2.0, -1e-12, 0.0, 1e-12, 3.0])
    np.testing.assert_array_equal(act.step(x), [0.0, 0.0, 0.0, 1.0, 1.0])  # H(0) = 0
    np.testing.assert_array_equal(act.step_grad(x), np.zeros(5))
    # finite differences agree away from 0 (the step is flat there)
    res = check_gradient(lambda v: float(np.sum(act.step(v))), act.step_grad, [-1.0, 2.0])
    assert res.passed and res.max_rel_error == 0.0


def test_article_derivative_formulas(x):
    s, t = act.sigmoid(x), act.tanh(x)
    np.testing.assert_allclose(act.sigmoid_grad(x), s * (1 - s), atol=1e-15)
    np.testing.assert_allclose(act.tanh_grad(x), 1 - t**2, atol=1e-15)
    assert act.sigmoid_grad(0.0) == 0.25 and np.max(act.sigmoid_grad(x)) <= 0.25


def test_softmax_matches_tensorflow(x):
    for axis in (-1, 0):
        got = act.softmax(x, axis=axis)
        np.testing.assert_allclose(got, tf.nn.softmax(x, axis=axis).numpy(), rtol=1e-13, atol=ATOL)
        np.testing.assert_allclose(got.sum(axis=axis), 1.0, atol=1e-15)
    np.testing.assert_allclose(act.softmax(x + 100.0), act.softmax(x), atol=1e-15)  # shift
    v = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(act.softmax(v), np.exp(v) / np.exp(v).sum(), rtol=1e-15)


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_backward_matches_gradient_tape(axis, x):
    g = np.random.default_rng(1).normal(size=x.shape)  # upstream dL/dp
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(tf.constant(g) * tf.nn.softmax(xt, axis=axis))
    want = tape.gradient(loss, xt).numpy()
    got = act.softmax_backward(act.softmax(x, axis=axis), g, axis=axis)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_softmax_backward_passes_finite_differences():
    x = np.array([[0.2, -1.0, 0.5], [1.5, 0.0, -0.3]])
    g = np.array([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]])
    res = check_gradient(lambda v: float(np.sum(g * act.softmax(v))),
                         lambda v: act.softmax_backward(act.softmax(v), g), x)
    assert res.passed, str(res)


def test_no_overflow_at_large_inputs():
    big = np.array([-1000.0, -745.5, -50.0, 0.0, 50.0, 745.5, 1000.0])
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(big)
        ds = act.sigmoid_grad(big)
        t, dt = act.tanh(big), act.tanh_grad(big)
        p = act.softmax(big)
        p2 = act.softmax(np.array([[1000.0, 1000.0], [-1000.0, 0.0]]))
        back = act.softmax_backward(p, np.ones_like(p))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    np.testing.assert_allclose(s, tf.nn.sigmoid(big).numpy(), atol=1e-300, rtol=1e-14)
    assert ds[0] == 0.0 and ds[-1] == 0.0 and np.all(np.isfinite(ds))
    assert np.all(np.isfinite(t)) and dt[0] == 0.0 and dt[3] == 1.0
    np.testing.assert_allclose(p, tf.nn.softmax(big).numpy(), rtol=1e-13, atol=1e-300)
    assert p[-1] == 1.0 and p[0] == 0.0
    np.testing.assert_allclose(p2, [[0.5, 0.5], [0.0, 1.0]], atol=1e-300)
    np.testing.assert_array_equal(back, np.zeros_like(p))


def test_sigmoid_grad_keeps_precision_in_the_tails():
    # sigma(30)(1 - sigma(30)) loses ~3 digits to cancellation; sigma(x)sigma(-x) does not
    x = np.array([30.0, -30.0])
    exact = np.exp(-30.0) / (1 + np.exp(-30.0)) ** 2
    np.testing.assert_allclose(act.sigmoid_grad(x), exact, rtol=1e-14)


def test_registry():
    assert set(act.ACTIVATIONS) == {"step", "sigmoid", "tanh", "relu", "leaky_relu", "linear"}
    assert act.ACTIVATIONS["sigmoid"] == (act.sigmoid, act.sigmoid_grad)
    assert act.ACTIVATIONS["leaky_relu"] == (act.leaky_relu, act.leaky_relu_grad)
    for f, df in act.ACTIVATIONS.values():
        assert df(np.array([0.5, -0.5])).shape == (2,)


def test_accepts_lists_and_scalars():
    np.testing.assert_allclose(act.relu([-1, 2]), [0.0, 2.0])
    assert act.relu([-1, 2]).dtype == np.float64
    assert act.tanh(0.0).shape == () and act.tanh(0.0) == 0.0


@pytest.mark.parametrize("fn", [act.sigmoid, act.tanh_grad, act.relu, act.step, act.softmax])
def test_rejects_non_finite(fn):
    name = fn.__name__
    with pytest.raises(ValueError, match=rf"^{name}: x contains NaN or infinity"):
        fn(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match=rf"^{name}: x contains NaN or infinity"):
        fn(np.array([np.inf, 1.0]))


def test_rejects_bad_types():
    with pytest.raises(TypeError, match=r"^sigmoid: x must be an array, received None"):
        act.sigmoid(None)
    with pytest.raises(TypeError, match=r"^relu: x must be a numeric array; received str"):
        act.relu("abc")
    with pytest.raises(ValueError, match=r"^leaky_relu: alpha must be finite and >= 0; received -0.1"):
        act.leaky_relu([1.0], alpha=-0.1)
    with pytest.raises(TypeError, match=r"^leaky_relu_grad: alpha must be a number"):
        act.leaky_relu_grad([1.0], alpha="0.1")


def test_softmax_rejects_bad_axis_and_shapes():
    with pytest.raises(ValueError, match=r"^softmax: x must be at least 1-D"):
        act.softmax(3.0)
    with pytest.raises(ValueError, match=r"^softmax: axis=2 is out of range for x with 2 dimension"):
        act.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"^softmax: axis must be an integer; received 0.5"):
        act.softmax(np.zeros((2, 3)), axis=0.5)
    with pytest.raises(
        ValueError,
        match=r"^softmax_backward: probs and grad_out must have the same shape; "
        r"received probs.shape=\(2, 3\) and grad_out.shape=\(3, 2\)",
    ):
        act.softmax_backward(np.full((2, 3), 1 / 3), np.zeros((3, 2)))


@pytest.mark.parametrize("x, shape", [([], "(0,)"), (np.zeros((3, 0)), "(3, 0)")])
def test_softmax_of_no_classes_says_so(x, shape):
    with pytest.raises(ValueError) as err:
        act.softmax(x)
    assert str(err.value) == f"softmax: x must hold at least one class along axis=-1; received shape {shape}"


def test_activations_entries_name_their_function_and_derivative():
    """ACTIVATIONS[name].fn is f and .grad is f' (and an entry still unpacks as a pair)."""
    for name, entry in act.ACTIVATIONS.items():
        assert entry.fn is getattr(act, name) and entry.grad is getattr(act, f"{name}_grad")
        f, f_grad = entry
        assert (f, f_grad) == (entry.fn, entry.grad)
    assert act.ACTIVATION_NAMES == tuple(act.ACTIVATIONS) + ("softmax",)


def test_activate_and_activate_backward_apply_f_and_f_prime_by_name():
    z = np.linspace(-2, 2, 6).reshape(2, 3)
    g = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(act.activate("tanh", z), act.tanh(z))
    np.testing.assert_array_equal(act.activate_backward("tanh", z, None, g), g * act.tanh_grad(z))
    p = act.activate("softmax", z)
    np.testing.assert_array_equal(act.activate_backward("softmax", z, p, g), act.softmax_backward(p, g))
    with pytest.raises(ValueError, match=r"^activate: name must be one of "):
        act.activate("swish", z)


def test_leaky_relu_is_keras_leaky_relu_by_name(x):
    """The name is Keras's, so is the default slope: keras.activations.get("leaky_relu")."""
    import keras

    keras_f = keras.activations.get("leaky_relu")
    np.testing.assert_allclose(act.ACTIVATIONS["leaky_relu"][0](x),
                               keras.ops.convert_to_numpy(keras_f(x)), rtol=5e-8)
