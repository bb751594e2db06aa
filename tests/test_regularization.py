"""dlcourse.regularization against keras.regularizers.L2 and keras.layers.Dropout.

Tolerances: L2 is one sum of squares in float64 on both sides (``rtol=1e-13``),
but Keras turns the Python float ``l2`` into a float32 tensor before casting it
to the weights' dtype, so ``L2(0.3)`` really uses 0.30000001192...: exact
comparisons use strengths representable in float32 (0.5, 0.25, 2**-7), and
``L2(0.01)`` is compared at ``rtol=1e-7``.
Dropout draws from a different random stream than Keras, so it is compared by
its defining properties: kept entries are exactly ``x / (1 - rate)`` (as in
Keras), and the dropped fraction is within 0.01 of ``rate`` (binomial standard
error sqrt(0.3 * 0.7 / 40000) = 0.0023, so 0.01 is over 4 sigma).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

from dlcourse.gradcheck import check_gradient
from dlcourse.regularization import dropout, l2_grad, l2_penalty

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


@pytest.fixture
def w():
    return np.random.default_rng(0).normal(size=(5, 4))


def test_l2_penalty_matches_keras(w):
    for lam in (0.5, 0.25, 2.0**-7):
        want = float(keras.regularizers.L2(lam)(tf.constant(w)).numpy())
        assert l2_penalty(w, lam) == pytest.approx(want, rel=1e-13)
    want = float(keras.regularizers.L2(0.01)(tf.constant(w)).numpy())
    assert l2_penalty(w, 0.01) == pytest.approx(want, rel=1e-7)  # float32(0.01) in Keras
    assert l2_penalty(w, 0.1) == pytest.approx(0.1 * np.sum(w**2), rel=1e-14)  # no 1/2
    assert l2_penalty(w, 0.0) == 0.0


def test_l2_penalty_sums_over_several_arrays(w):
    b = np.arange(3.0)
    total = l2_penalty(w, 0.1) + l2_penalty(b, 0.1)
    assert l2_penalty([w, b], 0.1) == pytest.approx(total, rel=1e-14)
    assert l2_penalty((a for a in [w, b]), 0.1) == pytest.approx(total, rel=1e-14)
    assert l2_penalty([1.0, 2.0], 1.0) == 5.0
    assert l2_penalty([], 1.0) == 0.0


def test_l2_grad_matches_tape_and_finite_differences(w):
    wt = tf.Variable(w)
    with tf.GradientTape() as tape:
        pen = keras.regularizers.L2(0.25)(wt)
    np.testing.assert_allclose(l2_grad(w, 0.25), tape.gradient(pen, wt).numpy(), rtol=1e-14)
    res = check_gradient(lambda v: l2_penalty(v, 0.3), lambda v: l2_grad(v, 0.3), w)
    assert res.passed and res.max_rel_error < 1e-8, str(res)


def test_dropout_inference_is_identity(w):
    out, mask = dropout(w, 0.5, np.random.default_rng(0), training=False)
    np.testing.assert_array_equal(out, w)
    np.testing.assert_array_equal(mask, np.ones_like(w))
    out, mask = dropout(w, 0.0, 0)
    np.testing.assert_array_equal(out, w)
    assert out is not w  # a copy, never the caller's array


def test_inverted_dropout_statistics():
    rate = 0.3
    x = np.full((200, 200), 2.0)
    out, mask = dropout(x, rate, np.random.default_rng(0))
    kept = mask != 0
    np.testing.assert_array_equal(out, x * mask)
    np.testing.assert_allclose(out[kept], 2.0 / (1 - rate), rtol=1e-15)  # scaled up
    np.testing.assert_array_equal(out[~kept], 0.0)
    assert np.mean(~kept) == pytest.approx(rate, abs=0.01)
    assert np.mean(out) == pytest.approx(2.0, rel=0.02)  # E[out] = x


def test_same_scaling_as_keras_dropout():
    rate = 0.3
    x = np.random.default_rng(1).uniform(1.0, 2.0, size=(200, 200))  # no zeros
    layer = keras.layers.Dropout(rate, seed=0, dtype="float64")
    theirs = np.asarray(layer(tf.constant(x), training=True))
    ours, _ = dropout(x, rate, 0)
    for out in (theirs, ours):
        kept = out != 0
        np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-14)
        assert np.mean(~kept) == pytest.approx(rate, abs=0.01)
    np.testing.assert_array_equal(np.asarray(layer(tf.constant(x), training=False)), x)


def test_dropout_backward_is_the_mask():
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    g = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    _, mask = dropout(x, 0.5, 3)
    # a fixed seed gives the same mask on every call, so f is a fixed function
    res = check_gradient(lambda v: float(np.sum(g * dropout(v, 0.5, 3)[0])), g * mask, x)
    assert res.passed, str(res)


def test_dropout_is_reproducible():
    x = np.ones(50)
    a = dropout(x, 0.5, np.random.default_rng(4))[1]
    b = dropout(x, 0.5, np.random.default_rng(4))[1]
    np.testing.assert_array_equal(a, b)


def test_bad_input(w):
    with pytest.raises(ValueError, match=r"^l2_penalty: lam must be finite and >= 0; received -0.1"):
        l2_penalty(w, -0.1)
    with pytest.raises(ValueError, match=r"^l2_penalty: weights\[1\] contains NaN or infinity"):
        l2_penalty([w, [np.nan]], 0.1)
    with pytest.raises(ValueError, match=r"^l2_grad: w contains NaN or infinity"):
        l2_grad([np.inf], 0.1)
    with pytest.raises(ValueError, match=r"^dropout: rate must be in \[0, 1\); received 1.0"):
        dropout(w, 1.0, 0)
    with pytest.raises(ValueError, match=r"^dropout: rate must be finite and >= 0; received -0.2"):
        dropout(w, -0.2, 0)
    with pytest.raises(TypeError, match=r"^dropout: training must be True or False; received 'yes'"):
        dropout(w, 0.5, 0, training="yes")
    with pytest.raises(TypeError, match=r"^dropout: rng must be a numpy.random.Generator"):
        dropout(w, 0.5, "0")
    with pytest.raises(TypeError, match=r"^dropout: x must be an array, received None"):
        dropout(None, 0.5, 0)
