"""dlcourse.optimizers against keras.optimizers, keras schedules and callbacks.

Each optimizer runs 50 steps on the same least-squares problem as its Keras twin,
both in float64 and each computing the gradient at its own current point, so the
trajectories are independent and must agree step by step. Keras stores the learning
rate in a float32 variable and casts Python-float hyper-parameters through float32,
so the tight test uses values exact in float32 (powers of two, 7/8, ...); the
remaining difference is float64 round-off, hence rtol=1e-10. Keras's defaults
(0.9, 0.999, 0.001) are checked separately to float32 precision, rtol=1e-5.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)  # quiet TF's start-up before keras loads

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from dlcourse import optimizers as opt  # noqa: E402

RTOL = 1e-10  # float64 trajectories, same formulas; only round-off differs
STEPS = 50


def _problem():
    """f(W, b) = 0.5 * mean ||A W + b - T||^2, two parameters of different shapes."""
    rng = np.random.default_rng(0)
    A = rng.normal(size=(20, 3))
    T = rng.normal(size=(20, 2))
    W0 = rng.normal(size=(3, 2))
    b0 = rng.normal(size=(2,))

    def grads(W, b):
        r = (A @ W + b - T) / len(A)
        return [A.T @ r, r.sum(axis=0)]

    return W0, b0, grads


def _trajectories(ours, theirs):
    W0, b0, grads = _problem()
    W, b = W0.copy(), b0.copy()
    kW = keras.Variable(W0.copy(), dtype="float64")
    kb = keras.Variable(b0.copy(), dtype="float64")
    path, kpath = [], []
    for _ in range(STEPS):
        ours.step([W, b], grads(W, b))
        kg = grads(kW.numpy(), kb.numpy())
        theirs.apply_gradients([(tf.constant(kg[0]), kW), (tf.constant(kg[1]), kb)])
        path.append(np.concatenate([W.ravel(), b]))
        kpath.append(np.concatenate([kW.numpy().ravel(), kb.numpy()]))
    return np.array(path), np.array(kpath)


# Hyper-parameters exact in float32 (0.875 = 7/8, 0.9990234375 = 1 - 2**-10): Keras
# casts Python floats such as momentum=0.9 through float32 (0.899999976...), which
# would otherwise show up as a 1e-8 relative difference that grows along the path.
EXACT = [
    ("sgd", lambda: opt.SGD(0.25), lambda: keras.optimizers.SGD(0.25)),
    ("momentum", lambda: opt.SGD(0.125, momentum=0.875),
     lambda: keras.optimizers.SGD(0.125, momentum=0.875)),
    ("nesterov", lambda: opt.SGD(0.125, momentum=0.875, nesterov=True),
     lambda: keras.optimizers.SGD(0.125, momentum=0.875, nesterov=True)),
    ("rmsprop", lambda: opt.RMSprop(0.015625, rho=0.875),
     lambda: keras.optimizers.RMSprop(0.015625, rho=0.875)),
    ("rmsprop-eps", lambda: opt.RMSprop(0.0078125, rho=0.75, epsilon=2**-10),
     lambda: keras.optimizers.RMSprop(0.0078125, rho=0.75, epsilon=2**-10)),
    ("adam", lambda: opt.Adam(0.0625, beta_1=0.875, beta_2=0.9990234375),
     lambda: keras.optimizers.Adam(0.0625, beta_1=0.875, beta_2=0.9990234375)),
    ("adam-eps", lambda: opt.Adam(0.03125, beta_1=0.75, beta_2=0.984375, epsilon=2**-7),
     lambda: keras.optimizers.Adam(0.03125, beta_1=0.75, beta_2=0.984375, epsilon=2**-7)),
]

# Keras's defaults (lr 0.01/0.001, momentum 0.9, beta_2 0.999), which pass through
# float32 in Keras: agreement to float32 precision along 50 steps.
DEFAULTS = [
    ("sgd-default", lambda: opt.SGD(), lambda: keras.optimizers.SGD()),
    ("momentum-default", lambda: opt.SGD(0.05, momentum=0.9),
     lambda: keras.optimizers.SGD(0.05, momentum=0.9)),
    ("nesterov-default", lambda: opt.SGD(0.05, momentum=0.9, nesterov=True),
     lambda: keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True)),
    ("rmsprop-default", lambda: opt.RMSprop(), lambda: keras.optimizers.RMSprop()),
    ("adam-default", lambda: opt.Adam(), lambda: keras.optimizers.Adam()),
]


@pytest.mark.parametrize("name, ours, theirs", EXACT, ids=[c[0] for c in EXACT])
def test_optimizer_follows_keras_trajectory(name, ours, theirs):
    path, kpath = _trajectories(ours(), theirs())
    assert not np.allclose(path[0], path[-1]), "the parameters did not move"
    np.testing.assert_allclose(path, kpath, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("name, ours, theirs", DEFAULTS, ids=[c[0] for c in DEFAULTS])
def test_optimizer_defaults_follow_keras_to_float32_precision(name, ours, theirs):
    path, kpath = _trajectories(ours(), theirs())
    assert not np.allclose(path[0], path[-1]), "the parameters did not move"
    np.testing.assert_allclose(path, kpath, rtol=1e-5, atol=1e-7)


def test_epsilon_placement_matters():
    """A large epsilon makes Keras's placement (inside the sqrt for RMSprop, outside
    for Adam) visible: swapping them would break the trajectory test above."""
    g = np.array([1e-3])
    p_rms = np.array([0.0])
    opt.RMSprop(1.0, rho=0.0, epsilon=1e-2).step([p_rms], [g])
    assert p_rms[0] == pytest.approx(-1e-3 / np.sqrt(1e-6 + 1e-2), rel=1e-12)
    p_adam = np.array([0.0])
    opt.Adam(1.0, epsilon=1e-2).step([p_adam], [g])
    # step 1: m = 0.1 g, v = 0.001 g^2, alpha = sqrt(0.001) / 0.1
    assert p_adam[0] == pytest.approx(-np.sqrt(1e-3) / 0.1 * 1e-4 / (np.sqrt(1e-9) + 1e-2), rel=1e-12)


def test_optimizer_updates_in_place_and_counts_steps():
    w = np.array([1.0, 2.0])
    alias = w
    sgd = opt.SGD(0.5)
    sgd.step([w], [np.array([1.0, -2.0])])
    assert alias is w and np.array_equal(w, [0.5, 3.0])
    assert sgd.iterations == 1
    assert repr(opt.SGD(0.1, momentum=0.9, nesterov=True)) == "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)"


# ---------------------------------------------------------------- schedules


def test_exponential_decay_matches_keras():
    ours = opt.exponential_decay(0.1, 0.5, 4)
    theirs = keras.optimizers.schedules.ExponentialDecay(np.float64(0.1), 4, 0.5)
    for step in range(20):
        assert ours(step) == pytest.approx(float(theirs(step)), rel=1e-12)


def test_step_decay_matches_keras_staircase():
    ours = opt.step_decay(0.1, 0.5, 3)
    theirs = keras.optimizers.schedules.ExponentialDecay(np.float64(0.1), 3, 0.5, staircase=True)
    values = [ours(e) for e in range(10)]
    assert values[:4] == pytest.approx([0.1, 0.1, 0.1, 0.05])
    for step in range(10):
        assert ours(step) == pytest.approx(float(theirs(step)), rel=1e-12)


def _keras_plateau_lrs(losses, lr, **kw):
    """Drive keras.callbacks.ReduceLROnPlateau with a list of losses (no model)."""
    from types import SimpleNamespace

    cb = keras.callbacks.ReduceLROnPlateau(monitor="loss", **kw)
    cb.set_model(SimpleNamespace(optimizer=keras.optimizers.SGD(lr)))
    cb.on_train_begin()
    lrs = []
    for epoch, value in enumerate(losses):
        cb.on_epoch_end(epoch, {"loss": value})
        lrs.append(float(cb.model.optimizer.learning_rate.numpy()))
    return lrs


def test_reduce_lr_on_plateau_waits_patience_epochs():
    sched = opt.ReduceLROnPlateau(factor=0.5, patience=3, learning_rate=0.1)
    lrs = [sched.update(v) for v in [1.0, 0.9, 0.95, 0.92, 0.91]]
    # best 0.9 at epoch 2; three epochs without improvement -> cut once
    assert lrs == [0.1, 0.1, 0.1, 0.1, 0.05]
    assert sched.update(0.5) == 0.05  # an improvement resets the count


# Keras's callback reads the learning rate with np.array(tensor), which NumPy 2 flags
# with a DeprecationWarning from inside Keras; nothing here to fix.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_reduce_lr_on_plateau_matches_keras():
    rng = np.random.default_rng(1)
    losses = list(np.maximum(1.0 - 0.05 * np.arange(40), 0.3) + 0.02 * rng.random(40))
    ours = opt.ReduceLROnPlateau(factor=0.5, patience=2, min_lr=0.01, learning_rate=0.5)
    mine = [ours.update(v) for v in losses]
    theirs = _keras_plateau_lrs(losses, 0.5, factor=0.5, patience=2, min_lr=0.01)
    np.testing.assert_allclose(mine, theirs, rtol=1e-6)  # Keras keeps lr in float32
    assert mine[-1] == 0.01 and mine[0] == 0.5


# ---------------------------------------------------------------- minimize


def test_minimize_returns_the_path_and_converges():
    # f(x, y) = x^2 + 10 y^2: an elongated bowl, the usual momentum demo
    grad = lambda p: np.array([2 * p[0], 20 * p[1]])
    path = opt.minimize(grad, [3.0, 1.0], opt.SGD(0.05), steps=100)
    assert path.shape == (101, 2)
    np.testing.assert_array_equal(path[0], [3.0, 1.0])
    np.testing.assert_allclose(path[1], [3.0 - 0.05 * 6.0, 1.0 - 0.05 * 20.0])
    assert np.linalg.norm(path[-1]) < 1e-3
    momentum = opt.minimize(grad, [3.0, 1.0], opt.SGD(0.01, momentum=0.9), steps=100)
    plain = opt.minimize(grad, [3.0, 1.0], opt.SGD(0.01), steps=100)
    assert np.linalg.norm(momentum[-1]) < np.linalg.norm(plain[-1])


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: opt.SGD(-0.1), "SGD: learning_rate must be finite and >= 0; received -0.1"),
        (lambda: opt.SGD(0.1, momentum=1.0), "SGD: momentum must be in [0, 1); received 1.0"),
        (lambda: opt.Adam(beta_2=1.5), "Adam: beta_2 must be in [0, 1)"),
        (lambda: opt.RMSprop(epsilon=0), "RMSprop: epsilon must be finite and > 0"),
        (lambda: opt.step_decay(0.1, 0.5, 0), "step_decay: every must be >= 1; received 0"),
        (lambda: opt.step_decay(0.1, 2.0, 5), "step_decay: drop must be in (0, 1]; received 2.0"),
        (lambda: opt.exponential_decay(0.1, 1.5, 5), "exponential_decay: rate must be in (0, 1]"),
        (lambda: opt.exponential_decay(-1.0, 0.5, 2), "exponential_decay: lr0 must be finite and > 0"),
        (lambda: opt.ReduceLROnPlateau(factor=1.5), "ReduceLROnPlateau: factor must be < 1"),
    ],
)
def test_bad_arguments_are_refused(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert message in str(err.value)


def test_bad_steps_are_refused():
    sgd = opt.SGD(0.1)
    with pytest.raises(ValueError, match=r"param.shape=\(2,\) and grad.shape=\(3,\)"):
        sgd.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(ValueError, match="received 2 params and 1 grads"):
        sgd.step([np.zeros(2), np.zeros(1)], [np.zeros(2)])
    with pytest.raises(TypeError, match="wrap one array"):
        sgd.step(np.zeros(2), np.zeros(2))
    with pytest.raises(TypeError, match=r"SGD.step: params\[0\] must be a float ndarray .* received dtype int64"):
        sgd.step([np.zeros(2, dtype=np.int64)], [np.zeros(2)])
    with pytest.raises(TypeError, match=r"SGD.step: grads\[0\] must be an ndarray; received list"):
        sgd.step([np.zeros(2)], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="learning_rate must be finite"):
        sgd.learning_rate = -1.0
    with pytest.raises(ValueError, match="no learning rate yet"):
        opt.ReduceLROnPlateau().update(1.0)
    with pytest.raises(ValueError, match=r"minimize: x0 must be 1-D \(dim,\); received shape \(2, 2\)"):
        opt.minimize(lambda p: p, np.zeros((2, 2)), opt.SGD(), 3)
    with pytest.raises(ValueError, match=r"x.shape=\(2,\) and grad.shape=\(3,\)"):
        opt.minimize(lambda p: np.zeros(3), np.zeros(2), opt.SGD(), 3)


def test_step_names_what_it_received_for_params_and_grads():
    with pytest.raises(TypeError) as err:
        opt.SGD(0.1).step(None, None)
    assert str(err.value) == ("SGD.step: params and grads must be lists of arrays (wrap one array "
                              "as [x]); received params=NoneType and grads=NoneType")
    with pytest.raises(TypeError, match=r"received params=ndarray and grads=list"):
        opt.Adam(0.1).step(np.zeros(2), [np.zeros(2)])
