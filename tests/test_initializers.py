"""dlcourse.initializers: Keras's formulas, checked exactly where possible and statistically otherwise.

NumPy's and TensorFlow's random streams differ, so draws cannot be compared one
by one. What can be compared:

* the bounds: uniform draws lie in [-limit, limit] and a truncated normal in
  [-2 s / 0.8796, 2 s / 0.8796]; with 60,000 draws both Keras's and ours come
  within 1 % of the bound (the chance of missing the top 1 % with 60,000
  uniform draws is ~1e-260);
* the variance: the sample variance of 60,000 draws has a relative standard
  error of at most sqrt(2 / 60000) = 0.6 %, so 3 % is a 5-sigma tolerance (the
  seeds are fixed, so the tests are deterministic anyway).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

from dlcourse import initializers as init

keras = pytest.importorskip("keras")

FAN_IN, FAN_OUT = 200, 300  # 60,000 draws
GLOROT_VAR = 2.0 / (FAN_IN + FAN_OUT)
HE_VAR = 2.0 / FAN_IN
CASES = [
    # name, keras class, expected variance, bound of |w|
    ("glorot_uniform", keras.initializers.GlorotUniform, GLOROT_VAR, np.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("glorot_normal", keras.initializers.GlorotNormal, GLOROT_VAR, 2 * np.sqrt(GLOROT_VAR) / 0.87962566103423978),
    ("he_uniform", keras.initializers.HeUniform, HE_VAR, np.sqrt(6 / FAN_IN)),
    ("he_normal", keras.initializers.HeNormal, HE_VAR, 2 * np.sqrt(HE_VAR) / 0.87962566103423978),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,keras_cls,var,bound", CASES, ids=IDS)
def test_same_distribution_as_keras(name, keras_cls, var, bound):
    ours = getattr(init, name)(FAN_IN, FAN_OUT, np.random.default_rng(0))
    theirs = np.asarray(keras_cls(seed=0)(shape=(FAN_IN, FAN_OUT), dtype="float64"))
    assert ours.shape == theirs.shape == (FAN_IN, FAN_OUT) and ours.dtype == np.float64
    for w in (ours, theirs):
        assert np.max(np.abs(w)) <= bound  # the exact limit / truncation point
        assert np.max(np.abs(w)) > 0.99 * bound  # ... and it is reached, not a smaller one
        assert abs(np.mean(w)) < 5 * np.sqrt(var / w.size)
        assert np.var(w) == pytest.approx(var, rel=0.03)


@pytest.mark.parametrize("name,var", [("glorot_normal", GLOROT_VAR), ("he_normal", HE_VAR)])
def test_normal_initializers_are_truncated(name, var):
    w = getattr(init, name)(FAN_IN, FAN_OUT, 1)
    s = np.sqrt(var)
    # An untruncated normal would put 2.3 % of the draws (~1,400 of 60,000)
    # beyond 2 / 0.8796 = 2.2737 standard deviations; a truncated one puts none.
    assert np.max(np.abs(w)) <= 2.2737 * s
    # Excess kurtosis of a normal truncated at 2 sd is -0.634 (0 untruncated);
    # its standard error with 60,000 draws is about 0.015.
    kurt = np.mean((w / np.std(w)) ** 4) - 3
    assert kurt == pytest.approx(-0.634, abs=0.06)


def test_uniform_limits_formula():
    w = init.glorot_uniform(3, 5, 0, shape=(100_000,))
    assert np.max(np.abs(w)) <= np.sqrt(6 / 8) and np.max(np.abs(w)) > 0.999 * np.sqrt(6 / 8)
    w = init.he_uniform(4, 1, 0, shape=(100_000,))
    assert np.max(np.abs(w)) <= np.sqrt(6 / 4) and np.max(np.abs(w)) > 0.999 * np.sqrt(6 / 4)


def test_compute_fans_matches_keras():
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    for shape in [(7,), (3, 5), (3, 3, 2, 8), (5, 4, 6)]:
        assert init.compute_fans(shape) == tuple(int(v) for v in keras_fans(shape))


def test_conv_kernel_shape_uses_given_fans():
    shape = (3, 3, 2, 8)
    fan_in, fan_out = init.compute_fans(shape)
    w = init.he_normal(fan_in, fan_out, 0, shape=shape)
    assert w.shape == shape
    assert np.max(np.abs(w)) <= 2 * np.sqrt(2 / fan_in) / 0.87962566103423978


def test_zeros_and_small_random():
    z = init.zeros((3, 4))
    assert z.shape == (3, 4) and z.dtype == np.float64 and not z.any()
    assert init.zeros(5).shape == (5,)
    w = init.small_random((200, 300), np.random.default_rng(0))
    assert np.std(w) == pytest.approx(0.01, rel=0.03)
    assert np.std(init.small_random(50_000, 0, scale=0.1)) == pytest.approx(0.1, rel=0.03)


def test_reproducible_with_a_seed():
    a = init.glorot_uniform(4, 3, np.random.default_rng(7))
    b = init.glorot_uniform(4, 3, np.random.default_rng(7))
    c = init.glorot_uniform(4, 3, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(init.he_normal(4, 3, 7), init.he_normal(4, 3, 7))


def test_registry_has_one_calling_convention():
    assert set(init.INITIALIZERS) == {
        "zeros", "small_random", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform",
    }
    rng = np.random.default_rng(0)
    for name, fn in init.INITIALIZERS.items():
        w = fn(4, 3, rng)
        assert w.shape == (4, 3) and w.dtype == np.float64, name
        assert fn(4, 3, rng, shape=(2, 2, 4, 3)).shape == (2, 2, 4, 3), name
    assert not init.INITIALIZERS["zeros"](4, 3, rng).any()


def test_bad_input():
    with pytest.raises(ValueError, match=r"^glorot_uniform: fan_in must be >= 1; received 0"):
        init.glorot_uniform(0, 3, 0)
    with pytest.raises(TypeError, match=r"^he_normal: fan_out must be an integer; received 2.5"):
        init.he_normal(3, 2.5, 0)
    with pytest.raises(TypeError, match=r"^glorot_normal: rng must be a numpy.random.Generator, an int seed or None; received str"):
        init.glorot_normal(3, 2, "seed")
    with pytest.raises(TypeError, match=r"^zeros: shape must be a positive int or a tuple of them"):
        init.zeros("3")
    with pytest.raises(ValueError, match=r"^small_random: shape must be >= 1; received -2"):
        init.small_random((3, -2), 0)
    with pytest.raises(ValueError, match=r"^small_random: scale must be finite and > 0"):
        init.small_random(3, 0, scale=0.0)


# ------------------------------------------------------------------- depth_profile


def test_depth_profile_gradients_match_tensorflow():
    """The per-layer weight-gradient norms are those tf.GradientTape finds for the same
    weights and input (float64: agreement to 1e-10 relative, rounding only)."""
    tf = pytest.importorskip("tensorflow")
    p = init.depth_profile("he_normal", "relu", depth=4, width=8, batch=16, rng=3)
    ws = [tf.Variable(layer.params["W"]) for layer in p.net.layers]
    with tf.GradientTape() as tape:
        h = tf.constant(p.x)
        stds = []
        for w in ws:
            h = tf.nn.relu(h @ w)
            stds.append(float(tf.math.reduce_std(h)))
        loss = tf.reduce_sum(h) / p.x.shape[0]
    norms = [float(tf.norm(g)) for g in tape.gradient(loss, ws)]
    np.testing.assert_allclose(p.grad_norm, norms, rtol=1e-10)
    np.testing.assert_allclose(p.activation_std, stds, rtol=1e-10)


def test_zero_weights_carry_nothing_forward_and_nothing_back():
    """All-zero weights: every hidden output is 0 and so is every weight gradient."""
    p = init.depth_profile("zeros", "tanh", depth=5)
    assert not p.activation_std.any() and not p.grad_norm.any()


def test_a_small_fixed_scale_shrinks_the_signal_geometrically_and_he_keeps_it():
    """N(0, 0.01^2) weights: each ReLU layer of width 64 multiplies the spread by about
    0.01 * sqrt(64 / 2) = 0.057; He's scale keeps it within a factor 3 over 10 layers."""
    small = init.depth_profile(0.01, "relu", depth=10)
    he = init.depth_profile("he_normal", "relu", depth=10)
    ratios = small.activation_std[1:4] / small.activation_std[:3]
    np.testing.assert_allclose(ratios, 0.01 * np.sqrt(64 / 2), rtol=0.25)
    assert 1 / 3 < he.activation_std[-1] / he.activation_std[0] < 3


def test_a_large_scale_saturates_tanh():
    """N(0, 1) weights with 64 inputs: pre-activations of spread ~8, so tanh outputs sit
    near +-1 and their spread is above 0.9 in every layer."""
    p = init.depth_profile(1.0, "tanh", depth=6)
    assert np.all(p.activation_std > 0.9)


@pytest.mark.parametrize("kwargs,match", [
    (dict(init="nope"), "init must be one of"),
    (dict(init=-1.0), "init must be finite and > 0"),
    (dict(init=[1]), "init must be an initializer name or a positive number; received list"),
    (dict(init="he_normal", depth=0), "depth must be >= 1"),
    (dict(init="he_normal", activation="cosh"), "activation must be one of"),
])
def test_depth_profile_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        init.depth_profile(**kwargs)
