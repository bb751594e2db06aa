"""Bad input, random shapes: dlcourse answers correctly or says clearly what is wrong.

Property-based tests (hypothesis) over the public functions of the NumPy engine
(activations, losses, gradcheck, initializers, regularization, layers, optimizers,
training, conv, recurrent, data). For random shapes and values each call must either

- return the right answer (checked against a formula, a naive loop, finite
  differences or an exact identity such as the adjoint of a linear map), with no
  NaN or overflow from a finite input where the mathematics has none
  (``np.errstate(over/invalid/divide="raise")`` turns one into a failure), or
- raise a ``ValueError``/``TypeError`` whose message names the function and the
  argument (and, for a shape mismatch, both shapes), in the style of
  ``dlcourse._validate``;

never a silent wrong answer (a ``(N,)`` target broadcast against ``(N, 1)``
predictions), never an obscure NumPy error from deep inside.

Speed: few examples per property (``max_examples`` 15-30), tiny arrays, no
TensorFlow; the file runs in well under a minute. Examples are derandomized (the
same ones on every run, so CI is repeatable); explore further with
``HYPOTHESIS_PROFILE=explore pytest tests/test_properties.py`` (500 random examples
per property; a failure is then saved in ``.hypothesis/`` and replayed).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

settings.register_profile(
    "dlcourse", max_examples=25, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.register_profile(
    "explore", max_examples=500, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dlcourse"))

FEW = settings(max_examples=15) if os.environ.get("HYPOTHESIS_PROFILE", "dlcourse") == "dlcourse" else settings()


def module(name: str):
    """``dlcourse.<name>``, or a skip if that module is not written yet."""
    return pytest.importorskip(f"dlcourse.{name}", reason=f"dlcourse.{name} does not exist yet")


@contextlib.contextmanager
def strict_float():
    """NaN, overflow and division by zero from finite input become failures."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        yield


def assert_clear(err: BaseException, func, *names: str, shapes=()) -> None:
    """``err`` is a ValueError/TypeError naming ``func``, one of ``names`` and ``shapes``.

    ``func`` may be a tuple of names: a layer's error may come from the function it
    delegates to (``Conv2D.backward`` -> ``conv2d_backward``), which is as clear.
    """
    funcs = (func,) if isinstance(func, str) else tuple(func)
    func = funcs[0]
    msg = str(err)
    assert isinstance(err, (ValueError, TypeError)), (
        f"{func}: raised {type(err).__name__} ({msg!r}); expected a ValueError or "
        f"TypeError that names the argument"
    )
    assert any(f in msg for f in funcs), f"{func}: the error does not name the function: {msg!r}"
    assert not names or any(re.search(rf"\b{re.escape(n)}\b", msg) for n in names), (
        f"{func}: the error names none of {names}: {msg!r}"
    )
    for shape in shapes:
        assert str(tuple(shape)) in msg, f"{func}: the error does not show shape {tuple(shape)}: {msg!r}"


def raises_clear(call, func, *names: str, shapes=()):
    """Run ``call``; it must raise a clear error (see :func:`assert_clear`)."""
    try:
        with strict_float():
            result = call()
    except Exception as err:  # noqa: BLE001 - judged below
        assert_clear(err, func, *names, shapes=shapes)
        return err
    name = func if isinstance(func, str) else func[0]
    pytest.fail(f"{name}: accepted a bad input silently and returned {result!r:.200}")


def right_or_clear(call, check, func, *names: str, shapes=()):
    """Either ``check(result)`` holds, or the call raised a clear error."""
    try:
        with strict_float():
            result = call()
    except Exception as err:  # noqa: BLE001 - judged below
        assert_clear(err, func, *names, shapes=shapes)
        return None
    check(result)
    return result


def num_grad(f, x, eps=1e-6):
    """Central differences of a scalar function (an independent reference)."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        fp = f(x.copy())
        flat[i] = old - eps
        fm = f(x.copy())
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * eps)
    return g


def close_rel(a, b, tol):
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), 1.0)
    return np.max(np.abs(a - b), initial=0.0) <= tol * scale


# ----------------------------------------------------------------- strategies

WIDE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
MODERATE = st.floats(-20, 20, allow_nan=False, allow_infinity=False)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
SMALL_SHAPES = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)


def arrays(shape=SHAPES, elements=WIDE):
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def two_different_shapes(draw):
    a = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    b = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    assume(a != b)
    return a, b


BAD_VALUES = [
    pytest.param(None, id="None"), pytest.param("abc", id="str"),
    pytest.param([[1.0, 2.0], [3.0]], id="ragged"), pytest.param({"x": 1}, id="dict"),
    pytest.param(object(), id="object"),  # explicit ids: xdist needs the same ids in every worker
]
BAD_COUNTS = [0, -3, 2.5, "3", True, None]


# ================================================================ activations

ELEMENTWISE = ["step", "linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def _reference(name, x, alpha=0.2):  # leaky ReLU: Keras's default slope
    from scipy.special import expit

    return {
        "step": (np.where(x >= 0, 1.0, 0.0), None),
        "linear": (x, np.ones_like(x)),
        "sigmoid": (expit(x), expit(x) * expit(-x)),
        "tanh": (np.tanh(x), 1.0 - np.tanh(x) ** 2),
        "relu": (np.maximum(x, 0.0), np.where(x > 0, 1.0, 0.0)),
        "leaky_relu": (np.where(x > 0, x, alpha * x), np.where(x > 0, 1.0, alpha)),
    }[name]


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(x=arrays())
def test_activation_matches_formula_any_shape(name, x):
    act = module("activations")
    f, f_grad = act.ACTIVATIONS[name]
    with strict_float():
        y, g = f(x), f_grad(x)
    want_y, want_g = _reference(name, x)
    assert y.shape == x.shape and g.shape == x.shape
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(g))
    if name == "step":  # H(0) is a convention: 0 or 1 are both fine there
        assert np.all(y[x != 0] == want_y[x != 0]) and np.all(np.isin(y, (0.0, 1.0)))
        assert np.all(g[x != 0] == 0.0)
    else:
        np.testing.assert_allclose(y, want_y, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(g[x != 0], want_g[x != 0], rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
@given(x=arrays(SMALL_SHAPES, MODERATE))
def test_activation_grad_is_the_derivative(name, x):
    act = module("activations")
    f, f_grad = act.ACTIVATIONS[name]
    assume(np.all(np.abs(x) > 1e-4))  # away from the kinks of relu / leaky relu
    numeric = num_grad(lambda v: float(np.sum(f(v))), x)
    np.testing.assert_allclose(f_grad(x), numeric, rtol=1e-5, atol=1e-7)


@given(x=arrays(SMALL_SHAPES, WIDE), alpha=st.floats(0.0, 1.0))
def test_leaky_relu_alpha(x, alpha):
    act = module("activations")
    want_y, want_g = _reference("leaky_relu", x, alpha)
    np.testing.assert_allclose(act.leaky_relu(x, alpha=alpha), want_y, rtol=1e-12)
    np.testing.assert_allclose(act.leaky_relu_grad(x, alpha=alpha), want_g, rtol=1e-12)


@given(x=arrays(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5), WIDE),
       data=st.data())
def test_softmax_is_a_distribution_along_its_axis(x, data):
    act = module("activations")
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    shift = data.draw(st.floats(-100, 100))
    with strict_float():
        p = act.softmax(x, axis=axis)
        p_shift = act.softmax(x + shift, axis=axis)
    assert p.shape == x.shape and np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, atol=1e-12)
    np.testing.assert_allclose(p_shift, p, atol=1e-8)  # softmax(x + c) = softmax(x)


@given(x=arrays(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3), WIDE),
       axis=st.integers(-6, 6))
def test_softmax_bad_axis_or_scalar_is_refused(x, axis):
    act = module("activations")
    assume(x.ndim == 0 or not -x.ndim <= axis < x.ndim)
    raises_clear(lambda: act.softmax(x, axis=axis), "softmax", "x", "axis")


@given(x=arrays(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4), MODERATE),
       data=st.data())
def test_softmax_backward_is_the_vector_jacobian_product(x, data):
    act = module("activations")
    g = data.draw(arrays(st.just(x.shape), MODERATE))
    p = act.softmax(x)
    numeric = num_grad(lambda v: float(np.sum(act.softmax(v) * g)), x)
    np.testing.assert_allclose(act.softmax_backward(p, g), numeric, rtol=1e-5, atol=1e-7)


@given(shapes=two_different_shapes())
def test_softmax_backward_shape_mismatch_names_both_shapes(shapes):
    act = module("activations")
    a, b = shapes
    raises_clear(lambda: act.softmax_backward(np.full(a, 0.5), np.ones(b)),
                 "softmax_backward", "probs", "grad_out", shapes=(a, b))


@pytest.mark.parametrize("bad", BAD_VALUES)
@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_activation_refuses_non_arrays(name, bad):
    act = module("activations")
    f = getattr(act, name)
    raises_clear(lambda: f(bad), name, "x")


# ===================================================================== losses

REGRESSION = ["mse", "mse_grad", "half_sse", "half_sse_grad"]


@given(data=st.data())
def test_regression_losses_match_their_formulas(data):
    losses = module("losses")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5))
    y = data.draw(arrays(st.just(shape), st.floats(-100, 100)))
    p = data.draw(arrays(st.just(shape), st.floats(-100, 100)))
    n_all, n_rows = y.size, shape[0]
    with strict_float():
        assert losses.mse(y, p) == pytest.approx(np.mean((y - p) ** 2), rel=1e-12, abs=1e-300)
        assert losses.half_sse(y, p) == pytest.approx(np.sum((y - p) ** 2) / (2 * n_rows), rel=1e-12, abs=1e-300)
        np.testing.assert_allclose(losses.mse_grad(y, p), 2 * (p - y) / n_all, rtol=1e-12)
        np.testing.assert_allclose(losses.half_sse_grad(y, p), (p - y) / n_rows, rtol=1e-12)
    assert losses.mse(y, y) == 0.0 and losses.half_sse(y, y) == 0.0


@pytest.mark.parametrize("name", ["mse", "half_sse"])
@given(data=st.data())
def test_regression_grads_are_the_derivatives(name, data):
    losses = module("losses")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3))
    y = data.draw(arrays(st.just(shape), MODERATE))
    p = data.draw(arrays(st.just(shape), MODERATE))
    loss, grad = getattr(losses, name), getattr(losses, f"{name}_grad")
    numeric = num_grad(lambda v: loss(y, v), p)
    assert close_rel(grad(y, p), numeric, 1e-6)


LOSS_PAIRS = [
    ("mse", "y_pred"), ("mse_grad", "y_pred"), ("half_sse", "y_pred"), ("half_sse_grad", "y_pred"),
    ("binary_crossentropy", "p"), ("binary_crossentropy_grad", "p"),
    ("binary_crossentropy_from_logits", "z"), ("binary_crossentropy_from_logits_grad", "z"),
]


@pytest.mark.parametrize("name,pred", LOSS_PAIRS)
@given(shapes=two_different_shapes())
def test_loss_shape_mismatch_is_an_error_never_a_broadcast(name, pred, shapes):
    """(N,) targets against (N, 1) predictions would broadcast to an (N, N) table."""
    losses = module("losses")
    a, b = shapes
    y, p = np.full(a, 0.0), np.full(b, 0.5)
    same_data = int(np.prod(a)) == int(np.prod(b))

    def check(result):  # accepted: only fine if it treated them as the same data
        assert same_data, f"{name}: y_true{a} and {pred}{b} accepted: {result!r:.100}"
        want = getattr(losses, name)(y.reshape(-1), p.reshape(-1))
        np.testing.assert_allclose(np.asarray(result).reshape(-1), np.asarray(want).reshape(-1))

    right_or_clear(lambda: getattr(losses, name)(y, p), check, name, "y_true", pred, shapes=(a, b))


@pytest.mark.parametrize("name,pred", LOSS_PAIRS + [("categorical_crossentropy", "probs"),
                                                    ("softmax_crossentropy", "logits")])
@pytest.mark.parametrize("bad", BAD_VALUES)
def test_loss_refuses_non_arrays(name, pred, bad):
    losses = module("losses")
    good = np.array([[0.2, 0.8]])
    raises_clear(lambda: getattr(losses, name)(good, bad), name, pred)
    raises_clear(lambda: getattr(losses, name)(bad, good), name, "y_true")


PROB = st.floats(0.0, 1.0)


@given(data=st.data())
def test_binary_crossentropy_is_finite_even_at_0_and_1(data):
    losses = module("losses")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5))
    y = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])))
    p = data.draw(hnp.arrays(np.float64, shape, elements=st.one_of(PROB, st.sampled_from([0.0, 1.0]))))
    eps = 1e-7
    pc = np.clip(p, eps, 1 - eps)
    with strict_float():
        value = losses.binary_crossentropy(y, p)
        grad = losses.binary_crossentropy_grad(y, p)
    assert np.isfinite(value) and value >= 0
    assert value == pytest.approx(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc)), rel=1e-9)
    assert grad.shape == p.shape and np.all(np.isfinite(grad))


@given(data=st.data())
def test_binary_crossentropy_grad_is_the_derivative(data):
    losses = module("losses")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3))
    y = data.draw(hnp.arrays(np.float64, shape, elements=PROB))
    p = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0.01, 0.99)))
    numeric = num_grad(lambda v: losses.binary_crossentropy(y, v), p)
    assert close_rel(losses.binary_crossentropy_grad(y, p), numeric, 1e-5)


@given(data=st.data())
def test_binary_crossentropy_refuses_values_outside_0_1(data):
    losses = module("losses")
    bad = data.draw(st.one_of(st.floats(1.0001, 1e6), st.floats(-1e6, -1e-4)))
    raises_clear(lambda: losses.binary_crossentropy([[1.0]], [[bad]]), "binary_crossentropy", "p")
    raises_clear(lambda: losses.binary_crossentropy([[bad]], [[0.5]]), "binary_crossentropy", "y_true")


@given(data=st.data())
def test_binary_crossentropy_from_logits_is_stable(data):
    losses = module("losses")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5))
    y = data.draw(hnp.arrays(np.float64, shape, elements=PROB))
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e4, 1e4)))
    with strict_float():
        value = losses.binary_crossentropy_from_logits(y, z)
        grad = losses.binary_crossentropy_from_logits_grad(y, z)
    assert np.isfinite(value) and value >= -1e-12
    # the same as -[y log s + (1-y) log(1-s)] with s = sigmoid(z), written with logaddexp
    want = np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))
    assert value == pytest.approx(want, rel=1e-9, abs=1e-12)
    from scipy.special import expit

    np.testing.assert_allclose(grad, (expit(z) - y) / z.size, rtol=1e-9, atol=1e-300)


@st.composite
def class_problem(draw, max_batch=5, max_classes=5, logit=MODERATE):
    n = draw(st.integers(1, max_batch))
    k = draw(st.integers(1, max_classes))
    z = draw(hnp.arrays(np.float64, (n, k), elements=logit))
    labels = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    return z, labels, np.eye(k)[labels]


@given(problem=class_problem(logit=st.floats(-1e4, 1e4)))
def test_softmax_crossentropy_is_stable_and_labels_equal_one_hot(problem):
    losses = module("losses")
    z, labels, onehot = problem
    with strict_float():
        a = losses.softmax_crossentropy(onehot, z)
        b = losses.softmax_crossentropy(labels, z)
        ga = losses.softmax_crossentropy_grad(onehot, z)
    assert np.isfinite(a) and a >= -1e-12 and a == pytest.approx(b, rel=1e-12)
    from scipy.special import log_softmax, softmax

    want = -np.mean(log_softmax(z, axis=1)[np.arange(len(labels)), labels])
    assert a == pytest.approx(want, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(ga, (softmax(z, axis=1) - onehot) / len(z), rtol=1e-9, atol=1e-15)


@given(problem=class_problem())
def test_categorical_crossentropy_of_softmax_is_softmax_crossentropy(problem):
    losses = module("losses")
    act = module("activations")
    z, labels, onehot = problem
    probs = act.softmax(z)
    assume(np.all((probs > 1e-6) & (probs < 1 - 1e-6)))  # no clipping at eps or 1 - eps
    with strict_float():
        ce = losses.categorical_crossentropy(onehot, probs)
        ce_labels = losses.categorical_crossentropy(labels, probs)
    assert ce == pytest.approx(losses.softmax_crossentropy(onehot, z), rel=1e-6, abs=1e-9)
    assert ce == pytest.approx(ce_labels, rel=1e-12)


@given(problem=class_problem(), offset=st.sampled_from([-1, 0, 1]))
def test_out_of_range_labels_are_refused(problem, offset):
    losses = module("losses")
    z, labels, _ = problem
    k = z.shape[1]
    bad = labels.copy()
    bad[0] = -1 if offset < 0 else k + offset
    for name in ("softmax_crossentropy", "softmax_crossentropy_grad"):
        raises_clear(lambda: getattr(losses, name)(bad, z), name, "y_true", "labels")


@pytest.mark.parametrize("name", ["softmax_crossentropy", "softmax_crossentropy_grad",
                                  "categorical_crossentropy"])
def test_empty_batch_is_refused_clearly(name):
    losses = module("losses")
    raises_clear(lambda: getattr(losses, name)(np.zeros(0, dtype=int), np.zeros((0, 3))),
                 name, "y_true", "logits", "probs")


# ================================================================== gradcheck


@given(data=st.data())
def test_numerical_gradient_of_a_quadratic(data):
    gc = module("gradcheck")
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=4))
    x = data.draw(arrays(st.just(shape), st.floats(-10, 10)))
    a = data.draw(arrays(st.just(shape), st.floats(-3, 3)))
    before = x.copy()
    g = gc.numerical_gradient(lambda v: float(np.sum(a * v**2 + v)), x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, 2 * a * x + 1, atol=1e-5)
    np.testing.assert_array_equal(x, before)  # the point is not moved


def test_numerical_gradient_of_an_integer_point_is_not_truncated():
    gc = module("gradcheck")
    x = np.array([1, 2, 3])  # int64: x + 1e-6 would round back to x in place
    right_or_clear(
        lambda: gc.numerical_gradient(lambda v: float(np.sum(v**2)), x),
        lambda g: np.testing.assert_allclose(g, [2.0, 4.0, 6.0], atol=1e-5),
        "numerical_gradient", "x",
    )


@given(x=arrays(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4), st.floats(-3, 3)),
       wrong=st.floats(0.5, 3.0))
def test_check_gradient_passes_right_and_fails_wrong(x, wrong):
    gc = module("gradcheck")
    f = lambda v: float(np.sum(np.sin(v)))  # noqa: E731
    good = gc.check_gradient(f, np.cos, x)
    assert good.passed and good.max_rel_error <= 1e-6 and str(good)
    assume(np.max(np.abs(np.cos(x))) > 0.1)
    bad = gc.check_gradient(f, lambda v: (1 + wrong) * np.cos(v), x)
    assert not bad.passed and str(bad)


def test_check_gradient_of_an_empty_array_reports():
    gc = module("gradcheck")
    right_or_clear(lambda: str(gc.check_gradient(lambda v: 0.0, lambda v: v, np.zeros(0))),
                   lambda text: None, "check_gradient", "x")


def test_gradcheck_refuses_bad_arguments():
    gc = module("gradcheck")
    x = np.ones(3)
    raises_clear(lambda: gc.numerical_gradient(lambda v: v, x), "numerical_gradient", "f")
    raises_clear(lambda: gc.numerical_gradient("f", x), "numerical_gradient", "f")
    raises_clear(lambda: gc.numerical_gradient(np.sum, x, eps=0.0), "numerical_gradient", "eps")
    raises_clear(lambda: gc.check_gradient(np.sum, np.ones(4), x), "check_gradient", "gradient",
                 shapes=((4,), (3,)))


# =============================================================== initializers

FAN_INITS = ["glorot_uniform", "glorot_normal", "he_normal", "he_uniform"]


@pytest.mark.parametrize("name", FAN_INITS)
@given(fan_in=st.integers(1, 40), fan_out=st.integers(1, 40), seed=st.integers(0, 2**31 - 1))
def test_fan_initializers_shape_bound_and_seed(name, fan_in, fan_out, seed):
    init = module("initializers")
    fn = getattr(init, name)
    w = fn(fan_in, fan_out, np.random.default_rng(seed))
    assert w.shape == (fan_in, fan_out) and w.dtype == np.float64 and np.all(np.isfinite(w))
    np.testing.assert_array_equal(w, fn(fan_in, fan_out, np.random.default_rng(seed)))
    if name.endswith("uniform"):
        limit = np.sqrt(6 / (fan_in + fan_out)) if name.startswith("glorot") else np.sqrt(6 / fan_in)
        assert np.all(np.abs(w) <= limit)


@pytest.mark.parametrize("name", FAN_INITS)
@pytest.mark.parametrize("bad", BAD_COUNTS, ids=repr)
def test_fan_initializers_refuse_bad_fans(name, bad):
    init = module("initializers")
    fn = getattr(init, name)
    rng = np.random.default_rng(0)
    raises_clear(lambda: fn(bad, 3, rng), name, "fan_in")
    raises_clear(lambda: fn(3, bad, rng), name, "fan_out")


@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
       scale=st.floats(1e-4, 10))
def test_zeros_and_small_random(shape, scale):
    init = module("initializers")
    np.testing.assert_array_equal(init.zeros(shape), np.zeros(shape))
    w = init.small_random(shape, np.random.default_rng(0), scale=scale)
    assert w.shape == shape and np.all(np.isfinite(w))
    assert np.all(np.abs(w) <= 10 * scale)  # 10 standard deviations: never, in practice
    np.testing.assert_array_equal(w, init.small_random(shape, np.random.default_rng(0), scale=scale))


@pytest.mark.parametrize("bad", [0, -2, (2, 0), (2, -1), "3", 2.5, None], ids=repr)
def test_shape_initializers_refuse_bad_shapes(bad):
    init = module("initializers")
    raises_clear(lambda: init.zeros(bad), "zeros", "shape")
    raises_clear(lambda: init.small_random(bad, np.random.default_rng(0)), "small_random", "shape")


# ============================================================= regularization


@given(w=arrays(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4), st.floats(-10, 10)),
       lam=st.floats(0, 10))
def test_l2_grad_is_the_derivative_of_l2_penalty(w, lam):
    reg = module("regularization")
    value = reg.l2_penalty(w, lam)
    assert value >= 0 and np.isfinite(value)
    assert reg.l2_penalty([w, 2 * w], lam) == pytest.approx(5 * value, rel=1e-12, abs=1e-300)
    numeric = num_grad(lambda v: reg.l2_penalty(v, lam), w)
    assert close_rel(reg.l2_grad(w, lam), numeric, 1e-6)


@pytest.mark.parametrize("lam", [-1.0, float("nan"), float("inf"), "0.1", None])
def test_l2_refuses_bad_lambda(lam):
    reg = module("regularization")
    raises_clear(lambda: reg.l2_penalty(np.ones(3), lam), "l2_penalty", "lam")
    raises_clear(lambda: reg.l2_grad(np.ones(3), lam), "l2_grad", "lam")


@given(x=arrays(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5), st.floats(-10, 10)),
       rate=st.floats(0.0, 0.95), seed=st.integers(0, 1000))
def test_inverted_dropout(x, rate, seed):
    reg = module("regularization")
    out, mask = reg.dropout(x, rate, np.random.default_rng(seed), training=True)
    assert out.shape == x.shape and mask.shape == x.shape
    kept = mask != 0
    np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-12)  # inverted: scaled up
    assert np.all(out[~kept] == 0)
    # the mask may be the 0/1 draw or already scaled by 1 / (1 - rate)
    assert np.allclose(mask[kept], 1.0) or np.allclose(mask[kept], 1 / (1 - rate))
    out2, mask2 = reg.dropout(x, rate, np.random.default_rng(seed), training=True)
    np.testing.assert_array_equal(out, out2)
    eval_out, _ = reg.dropout(x, rate, np.random.default_rng(seed), training=False)
    np.testing.assert_array_equal(eval_out, x)


@pytest.mark.parametrize("rate", [1.0, 1.5, -0.1, float("nan"), "0.5"])
def test_dropout_refuses_bad_rate(rate):
    reg = module("regularization")
    raises_clear(lambda: reg.dropout(np.ones((2, 3)), rate, np.random.default_rng(0)), "dropout", "rate")


# ===================================================================== layers

DENSE_ACTS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]


@st.composite
def dense_case(draw):
    return dict(
        batch=draw(st.integers(1, 4)), n_in=draw(st.integers(1, 4)), n_out=draw(st.integers(1, 4)),
        act=draw(st.sampled_from(DENSE_ACTS)), seed=draw(st.integers(0, 1000)),
    )


@FEW
@given(case=dense_case())
def test_dense_backward_is_the_gradient(case):
    layers = module("layers")
    rng = np.random.default_rng(case["seed"])
    layer = layers.Dense(case["n_in"], case["n_out"], activation=case["act"], rng=rng)
    layer.params["b"][...] = rng.normal(size=case["n_out"])
    x = rng.normal(size=(case["batch"], case["n_in"]))
    g = rng.normal(size=(case["batch"], case["n_out"]))
    out = layer.forward(x)
    assert out.shape == (case["batch"], case["n_out"])
    z = x @ layer.params["W"] + layer.params["b"]
    assume(np.all(np.abs(z) > 1e-4))  # relu kinks
    dx = layer.backward(g)

    def loss_of(name):
        def f(v):
            saved = layer.params[name].copy()
            layer.params[name][...] = v
            value = float(np.sum(layer.forward(x) * g))
            layer.params[name][...] = saved
            return value
        return f

    assert close_rel(dx, num_grad(lambda v: float(np.sum(layer.forward(v) * g)), x), 1e-6)
    for name in ("W", "b"):
        numeric = num_grad(loss_of(name), layer.params[name])
        assert close_rel(layer.grads[name], numeric, 1e-6), name


@given(case=dense_case(), extra=st.integers(1, 3))
def test_dense_refuses_wrong_input_width(case, extra):
    layers = module("layers")
    layer = layers.Dense(case["n_in"], case["n_out"], activation=case["act"], rng=0)
    x = np.ones((case["batch"], case["n_in"] + extra))
    raises_clear(lambda: layer.forward(x), "Dense", "x", "input", shapes=(x.shape,))


@pytest.mark.parametrize("act", ["linear", "tanh"])
@pytest.mark.parametrize("bad_shape", [(3, 1), (3,), (1, 2), (3, 2, 1)], ids=lambda s: "x".join(map(str, s)))
def test_dense_backward_refuses_a_wrong_gradient_shape(act, bad_shape):
    """Dense(4 -> 2) on a batch of 3: grad_out must be (3, 2); a (3, 1) would broadcast."""
    layers = module("layers")
    layer = layers.Dense(4, 2, activation=act, rng=0)
    layer.forward(np.ones((3, 4)))
    raises_clear(lambda: layer.backward(np.ones(bad_shape)), "Dense", "grad_out",
                 shapes=(bad_shape,))


def test_backward_before_forward_is_a_clear_error():
    layers = module("layers")
    layer = layers.Dense(2, 2, rng=0)
    try:
        layer.backward(np.ones((1, 2)))
    except (ValueError, TypeError, RuntimeError) as err:
        assert "forward" in str(err), f"unclear: {err!r}"
    except Exception as err:  # noqa: BLE001
        pytest.fail(f"Dense.backward before forward raised {type(err).__name__}: {err}")
    else:
        pytest.fail("Dense.backward before forward returned silently")


@pytest.mark.parametrize("args,names", [
    ((0, 3), ("n_in",)), ((3, 0), ("n_out",)), ((2.5, 3), ("n_in",)), (("3", 3), ("n_in",)),
])
def test_dense_refuses_bad_sizes(args, names):
    layers = module("layers")
    raises_clear(lambda: layers.Dense(*args), "Dense", *names)


def test_dense_refuses_unknown_activation_and_init():
    layers = module("layers")
    raises_clear(lambda: layers.Dense(2, 3, activation="swishy"), "Dense", "activation")
    raises_clear(lambda: layers.Dense(2, 3, init="magic"), "Dense", "init")
    raises_clear(lambda: layers.Activation("swishy"), "Activation", "name")


@FEW
@given(seed=st.integers(0, 1000), batch=st.integers(1, 4), sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4))
def test_sequential_gradients_and_parameter_count(seed, batch, sizes):
    layers = module("layers")
    rng = np.random.default_rng(seed)
    model = layers.Sequential(
        [layers.Dense(a, b, activation="tanh", rng=rng) for a, b in zip(sizes, sizes[1:])]
    )
    assert model.n_params == sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    x = rng.normal(size=(batch, sizes[0]))
    g = rng.normal(size=(batch, sizes[-1]))
    np.testing.assert_array_equal(model.predict(x), model.forward(x))
    model.forward(x)
    dx = model.backward(g)
    assert close_rel(dx, num_grad(lambda v: float(np.sum(model.forward(v) * g)), x), 1e-6)
    for p, grad in model.parameters():
        assert p.shape == grad.shape


@given(x=arrays(hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3), st.floats(-5, 5)))
def test_flatten_round_trip(x):
    layers = module("layers")
    layer = layers.Flatten()
    out = layer.forward(x)
    assert out.shape == (x.shape[0], int(np.prod(x.shape[1:])))
    np.testing.assert_array_equal(layer.backward(out), x)


@given(x=arrays(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5), st.floats(-5, 5)),
       rate=st.floats(0.0, 0.9), seed=st.integers(0, 100))
def test_dropout_layer_backward_uses_the_forward_mask(x, rate, seed):
    layers = module("layers")
    layer = layers.Dropout(rate, rng=np.random.default_rng(seed))
    np.testing.assert_array_equal(layer.forward(x, training=False), x)
    ones = np.ones_like(x)
    out = layer.forward(ones, training=True)
    np.testing.assert_allclose(layer.backward(ones), out, rtol=1e-12)  # linear: d out/d x = out/x


# ================================================================= optimizers

OPTIMIZERS = [("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True}),
              ("RMSprop", {}), ("Adam", {})]


@st.composite
def params_and_grads(draw):
    shapes = draw(st.lists(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4),
                           min_size=1, max_size=3))
    params = [draw(arrays(st.just(s), st.floats(-10, 10))) for s in shapes]
    grads = [draw(arrays(st.just(s), st.floats(-10, 10))) for s in shapes]
    return params, grads


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=lambda v: str(v))
@given(pg=params_and_grads(), lr=st.floats(1e-4, 1.0), steps=st.integers(1, 4))
def test_optimizer_steps_in_place_finite_and_zero_gradient_is_no_move(name, kwargs, pg, lr, steps):
    opt_mod = module("optimizers")
    params, grads = pg
    ids = [id(p) for p in params]
    opt = getattr(opt_mod, name)(learning_rate=lr, **kwargs)
    with strict_float():
        for _ in range(steps):
            opt.step(params, grads)
    assert [id(p) for p in params] == ids
    assert all(np.all(np.isfinite(p)) for p in params)
    still = [p.copy() for p in params]
    fresh = getattr(opt_mod, name)(learning_rate=lr, **kwargs)
    with strict_float():
        fresh.step(params, [np.zeros_like(p) for p in params])  # 0 / (sqrt(0) + eps): no NaN
    for a, b in zip(params, still):
        np.testing.assert_array_equal(a, b)


@given(pg=params_and_grads(), lr=st.floats(1e-4, 1.0))
def test_sgd_is_w_minus_lr_g_and_adam_first_step_is_lr_sign_g(pg, lr):
    opt_mod = module("optimizers")
    params, grads = pg
    before = [p.copy() for p in params]
    opt_mod.SGD(learning_rate=lr).step(params, grads)
    for p, b, g in zip(params, before, grads):
        np.testing.assert_allclose(p, b - lr * g, rtol=1e-12, atol=1e-12)
    params = [b.copy() for b in before]
    adam = opt_mod.Adam(learning_rate=lr)
    adam.step(params, grads)
    # Adam's first step is lr * s g / (s |g| + eps) with s = sqrt(1 - beta_2): lr * sign(g)
    # shortened by the relative amount eps / (s |g| + eps) < eps / (s |g|). That bound, plus
    # the rounding of b - p (a few ulps of |b|), is the tolerance; for |g| > 1e-2 it is at
    # most about 3e-4 relative.
    s = np.sqrt(1.0 - adam.beta_2)
    ulp = np.finfo(np.float64).eps
    for p, b, g in zip(params, before, grads):
        big = np.abs(g) > 1e-2
        tol = lr * adam.epsilon / (s * np.abs(g[big])) + 4 * ulp * (np.abs(b[big]) + lr)
        np.testing.assert_array_less(np.abs((b - p)[big] - lr * np.sign(g[big])), tol)


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=lambda v: str(v))
@given(shapes=two_different_shapes())
def test_optimizer_shape_mismatch_names_both_shapes(name, kwargs, shapes):
    opt_mod = module("optimizers")
    a, b = shapes
    opt = getattr(opt_mod, name)(**kwargs)
    raises_clear(lambda: opt.step([np.zeros(a)], [np.ones(b)]), f"{name}.step", "grad", "gradient",
                 shapes=(a, b))


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam"])
def test_optimizer_refuses_bad_rates(name):
    cls = getattr(module("optimizers"), name)
    raises_clear(lambda: cls(learning_rate=-0.1), name, "learning_rate")
    raises_clear(lambda: cls(learning_rate="0.1"), name, "learning_rate")


OPTIMIZER_BAD_STEPS = {
    "grads-not-arrays": ([np.zeros(3)], [[1.0, 2.0, 3.0]], ("grads", "grad")),
    "integer-params": ([np.zeros(3, dtype=int)], [np.ones(3)], ("params", "param")),
    "one-grad-too-many": ([np.zeros(3)], [np.ones(3), np.ones(3)], ("grads", "params")),
}


@pytest.mark.parametrize("case", OPTIMIZER_BAD_STEPS)
@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam"])
def test_optimizer_step_refuses_bad_lists(name, case):
    cls = getattr(module("optimizers"), name)
    params, grads, names = OPTIMIZER_BAD_STEPS[case]
    params = [p.copy() for p in params]
    raises_clear(lambda: cls().step(params, grads), f"{name}.step", *names)


def test_momentum_and_betas_must_be_fractions():
    opt_mod = module("optimizers")
    raises_clear(lambda: opt_mod.SGD(momentum=1.0), "SGD", "momentum")
    raises_clear(lambda: opt_mod.Adam(beta_1=1.2), "Adam", "beta_1")
    raises_clear(lambda: opt_mod.RMSprop(rho=-0.5), "RMSprop", "rho")


@given(lr0=st.floats(1e-5, 10), drop=st.floats(0.01, 1.0), every=st.integers(1, 10),
       rate=st.floats(0.01, 1.0))
def test_schedules_are_positive_and_non_increasing(lr0, drop, every, rate):
    opt_mod = module("optimizers")
    for schedule in (opt_mod.step_decay(lr0, drop, every), opt_mod.exponential_decay(lr0, rate, every)):
        lrs = [schedule(e) for e in range(30)]
        assert lrs[0] == pytest.approx(lr0)
        assert all(v > 0 and np.isfinite(v) for v in lrs)
        assert all(b <= a * (1 + 1e-12) for a, b in zip(lrs, lrs[1:]))


def test_step_decay_refuses_a_drop_above_one():
    """The docstring promises drop in (0, 1]; 2.0 would double the rate every few epochs."""
    opt_mod = module("optimizers")
    raises_clear(lambda: opt_mod.step_decay(0.1, 2.0, 5), "step_decay", "drop")
    raises_clear(lambda: opt_mod.step_decay(0.1, 0.5, 0), "step_decay", "every")


@given(losses=st.lists(st.floats(0, 10), min_size=1, max_size=30),
       factor=st.floats(0.1, 0.9), patience=st.integers(0, 4))
def test_reduce_lr_on_plateau_never_rises_nor_passes_min_lr(losses, factor, patience):
    opt_mod = module("optimizers")
    sched = opt_mod.ReduceLROnPlateau(factor=factor, patience=patience, min_lr=1e-3, learning_rate=0.1)
    lrs = [sched.update(v) for v in losses]
    assert all(1e-3 <= v <= 0.1 for v in lrs)
    assert all(b <= a for a, b in zip(lrs, lrs[1:]))


@given(x0=arrays(hnp.array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=3), st.floats(-5, 5)),
       steps=st.integers(0, 20))
def test_minimize_path_on_a_bowl(x0, steps):
    opt_mod = module("optimizers")
    before = x0.copy()
    path = opt_mod.minimize(lambda v: 2 * v, x0, opt_mod.SGD(learning_rate=0.1), steps)
    assert path.shape == (steps + 1, x0.size)
    np.testing.assert_array_equal(path[0], before)
    np.testing.assert_array_equal(x0, before)
    heights = np.sum(path**2, axis=1)
    assert np.all(np.diff(heights) <= 1e-12)


# =================================================================== training


def _tiny_model(layers, n_in=2, n_out=1, act="linear"):
    return layers.Sequential([layers.Dense(n_in, n_out, activation=act, rng=0)])


def test_fit_refuses_mismatched_samples_unknown_loss_and_empty_data():
    training, layers, opt = module("training"), module("layers"), module("optimizers")
    model = _tiny_model(layers)
    x, y = np.ones((5, 2)), np.ones((4, 1))
    raises_clear(lambda: training.fit(model, x, y, loss="mse", optimizer=opt.SGD(), epochs=1),
                 "fit", "x", "y", shapes=((5, 2), (4, 1)))
    raises_clear(lambda: training.fit(model, x, np.ones((5, 1)), loss="hinge", optimizer=opt.SGD(), epochs=1),
                 "fit", "loss")
    raises_clear(lambda: training.fit(model, x, np.ones((5, 1)), loss="mse", optimizer=opt.SGD(), epochs=0),
                 "fit", "epochs")
    raises_clear(lambda: training.fit(model, np.ones((0, 2)), np.ones((0, 1)), loss="mse",
                                      optimizer=opt.SGD(), epochs=1), "fit", "x", "samples")


@FEW
@given(batch_size=st.one_of(st.none(), st.integers(1, 12)), seed=st.integers(0, 100))
def test_fit_lowers_the_loss_on_a_line(batch_size, seed):
    training, layers, opt = module("training"), module("layers"), module("optimizers")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(12, 2))
    y = x @ np.array([[1.5], [-2.0]]) + 0.3
    model = _tiny_model(layers)
    with strict_float():
        hist = training.fit(model, x, y, loss="mse", optimizer=opt.SGD(learning_rate=0.1),
                            epochs=15, batch_size=batch_size, rng=seed)
    losses = hist.history["loss"]
    assert len(losses) == 15 and all(np.isfinite(losses)) and losses[-1] < losses[0]


# ======================================================================= conv


def naive_conv2d(x, w, b, stride, padding):
    """Loops over every output position: the definition, slowly (tiny inputs only)."""
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    sh, sw = stride
    if padding == "same":
        oh, ow = -(-h // sh), -(-wd // sw)
        ph, pw = max((oh - 1) * sh + kh - h, 0), max((ow - 1) * sw + kw - wd, 0)
        pads = (ph // 2, ph - ph // 2, pw // 2, pw - pw // 2)
    elif padding == "valid":
        pads = (0, 0, 0, 0)
    else:
        pads = (padding,) * 4
    xp = np.pad(x, ((0, 0), pads[:2], pads[2:], (0, 0)))
    hp, wp = xp.shape[1:3]
    if kh > hp or kw > wp:
        return None
    oh, ow = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    y = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
            y[:, i, j, :] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2]))
    return y + (0 if b is None else b)


@st.composite
def conv_case(draw):
    n, h, wd, c = (draw(st.integers(1, 2)), draw(st.integers(1, 6)), draw(st.integers(1, 6)),
                   draw(st.integers(1, 3)))
    kh, kw, f = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.sampled_from(["valid", "same", 0, 1, 2]))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    return (rng.normal(size=(n, h, wd, c)), rng.normal(size=(kh, kw, c, f)),
            rng.normal(size=f), stride, padding, rng)


@given(case=conv_case())
def test_conv2d_matches_the_definition_or_refuses_a_kernel_that_does_not_fit(case):
    conv = module("conv")
    x, w, b, stride, padding, _ = case
    want = naive_conv2d(x, w, b, stride, padding)
    if want is None:
        raises_clear(lambda: conv.conv2d(x, w, b, stride=stride, padding=padding), "conv2d", "x", "w",
                     "kernel", shapes=(x.shape,))
        return
    got = conv.conv2d(x, w, b, stride=stride, padding=padding)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@given(case=conv_case())
def test_conv2d_backward_is_the_adjoint(case):
    """conv2d is linear in x and in w, so <conv(x', w), G> = <x', dx> and likewise for w."""
    conv = module("conv")
    x, w, b, stride, padding, rng = case
    assume(naive_conv2d(x, w, None, stride, padding) is not None)
    y = conv.conv2d(x, w, None, stride=stride, padding=padding)
    g = rng.normal(size=y.shape)
    dx, dw, db = conv.conv2d_backward(g, x, w, stride=stride, padding=padding)
    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == (w.shape[3],)
    x2, w2 = rng.normal(size=x.shape), rng.normal(size=w.shape)
    lhs_x = np.sum(conv.conv2d(x2, w, None, stride=stride, padding=padding) * g)
    lhs_w = np.sum(conv.conv2d(x, w2, None, stride=stride, padding=padding) * g)
    assert lhs_x == pytest.approx(np.sum(x2 * dx), rel=1e-9, abs=1e-9)
    assert lhs_w == pytest.approx(np.sum(w2 * dw), rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(db, g.sum(axis=(0, 1, 2)), rtol=1e-12)


@given(case=conv_case(), extra=st.integers(1, 2))
def test_conv2d_channel_mismatch_names_both_shapes(case, extra):
    conv = module("conv")
    x, w, _, _, _, _ = case
    w_bad = np.ones((*w.shape[:2], w.shape[2] + extra, w.shape[3]))
    raises_clear(lambda: conv.conv2d(x, w_bad), "conv2d", "x", "w", "channels",
                 shapes=(x.shape, w_bad.shape))


def test_conv2d_refuses_bad_layouts_strides_and_paddings():
    conv = module("conv")
    x, w = np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 2))
    raises_clear(lambda: conv.conv2d(np.ones((5, 5)), w), "conv2d", "x", shapes=((5, 5),))
    raises_clear(lambda: conv.conv2d(x, np.ones((3, 3))), "conv2d", "w", shapes=((3, 3),))
    raises_clear(lambda: conv.conv2d(x, w, stride=0), "conv2d", "stride")
    raises_clear(lambda: conv.conv2d(x, w, padding="full"), "conv2d", "padding")
    raises_clear(lambda: conv.conv2d(x, w, padding=-1), "conv2d", "padding")
    raises_clear(lambda: conv.conv2d(x, w, b=np.ones(3)), "conv2d", "b", shapes=((3,),))
    raises_clear(lambda: conv.conv2d_backward(np.ones((1, 2, 2, 2)), x, w), "conv2d_backward",
                 "grad_out", shapes=((1, 2, 2, 2),))
    raises_clear(lambda: conv.correlate1d(np.ones(3), np.ones(4)), "correlate1d", "k")


@given(x=arrays(hnp.array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=8), st.floats(-10, 10)),
       data=st.data())
def test_correlate1d_is_numpy_correlate_valid(x, data):
    conv = module("conv")
    k = data.draw(arrays(st.just((data.draw(st.integers(1, x.size)),)), st.floats(-10, 10)))
    np.testing.assert_allclose(conv.correlate1d(x, k), np.correlate(x, k, "valid"), rtol=1e-12, atol=1e-12)


def naive_pool(x, size, stride, padding, reduce):
    n, h, wd, c = x.shape
    (kh, kw), (sh, sw) = size, stride
    if padding == "same":
        oh, ow = -(-h // sh), -(-wd // sw)
        ph, pw = max((oh - 1) * sh + kh - h, 0), max((ow - 1) * sw + kw - wd, 0)
        top, left = ph // 2, pw // 2
    else:
        if kh > h or kw > wd:
            return None
        oh, ow, top, left = (h - kh) // sh + 1, (wd - kw) // sw + 1, 0, 0
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - top, j * sw - left
            patch = x[:, max(r0, 0):r0 + kh, max(c0, 0):c0 + kw, :]
            y[:, i, j, :] = reduce(patch, axis=(1, 2))
    return y


@st.composite
def pool_case(draw):
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, 2)))
    size = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = draw(st.sampled_from(["valid", "same"]))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    return rng.normal(size=shape), size, stride, padding, rng


@pytest.mark.parametrize("kind", ["max", "avg"])
@given(case=pool_case())
def test_pooling_matches_the_definition_and_backward_is_consistent(kind, case):
    conv = module("conv")
    x, size, stride, padding, rng = case
    fwd = getattr(conv, f"{kind}_pool2d")
    bwd = getattr(conv, f"{kind}_pool2d_backward")
    want = naive_pool(x, size, stride or size, padding, np.max if kind == "max" else np.mean)
    if want is None:
        raises_clear(lambda: fwd(x, size, stride, padding), f"{kind}_pool2d", "x", "size",
                     "pooling", "window")
        return
    y = fwd(x, size, stride, padding)
    np.testing.assert_allclose(y, want, rtol=1e-12, atol=1e-12)
    g = rng.normal(size=y.shape)
    dx = bwd(g, x, size, stride, padding)
    assert dx.shape == x.shape
    if kind == "avg":  # linear in x: the adjoint identity
        x2 = rng.normal(size=x.shape)
        assert np.sum(fwd(x2, size, stride, padding) * g) == pytest.approx(np.sum(x2 * dx), rel=1e-9, abs=1e-9)
    else:  # max pooling is positively homogeneous: <dx, x> = <pool(x), g>
        assert np.sum(dx * x) == pytest.approx(np.sum(y * g), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("act", ["linear", "relu"])
def test_conv_layers_refuse_a_wrong_gradient_shape(act):
    conv = module("conv")
    layer = conv.Conv2D(1, 3, kernel_size=3, activation=act, rng=0)
    out = layer.forward(np.ones((2, 5, 5, 1)))
    bad = (*out.shape[:3], 1)  # (2, 3, 3, 1) would broadcast against (2, 3, 3, 3)
    raises_clear(lambda: layer.backward(np.ones(bad)), ("Conv2D", "conv2d_backward"), "grad_out",
                 shapes=(bad,))
    pool = conv.MaxPool2D(2)
    pool.forward(np.ones((1, 4, 4, 2)))
    raises_clear(lambda: pool.backward(np.ones((1, 2, 2, 1))), ("MaxPool2D", "max_pool2d_backward"),
                 "grad_out", shapes=((1, 2, 2, 1),))


# ================================================================== recurrent


@st.composite
def rnn_case(draw, gates=1, bias_rows=None):
    n, t, d, u = (draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 3)),
                  draw(st.integers(1, 3)))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    bias_shape = (gates * u,) if bias_rows is None else (bias_rows, gates * u)
    return (rng.normal(size=(n, t, d)), 0.5 * rng.normal(size=(d, gates * u)),
            0.5 * rng.normal(size=(u, gates * u)), 0.1 * rng.normal(size=bias_shape),
            rng.uniform(-1, 1, size=(n, u)), rng)


@FEW
@given(case=rnn_case(), activation=st.sampled_from(["tanh", "sigmoid", "linear"]))
def test_rnn_forward_is_rnn_step_repeated_and_backward_is_the_gradient(case, activation):
    rec = module("recurrent")
    x, W, U, b, h0, rng = case
    h_all, cache = rec.rnn_forward(x, W, U, b, h0=h0, activation=activation)
    h = h0
    for t in range(x.shape[1]):
        h = rec.rnn_step(x[:, t], h, W, U, b, activation=activation)
        np.testing.assert_allclose(h_all[:, t], h, rtol=1e-12, atol=1e-14)
    g = rng.normal(size=h_all.shape)
    grads = rec.rnn_backward(g, cache)
    args = {"x": x, "W": W, "U": U, "b": b, "h0": h0}
    for name, value in args.items():
        def f(v, name=name):
            kw = dict(args, **{name: v})
            return float(np.sum(rec.rnn_forward(kw["x"], kw["W"], kw["U"], kw["b"], h0=kw["h0"],
                                                activation=activation)[0] * g))
        assert close_rel(grads[name], num_grad(f, value), 1e-6), name


@given(case=rnn_case())
def test_rnn_refuses_mismatched_weights(case):
    rec = module("recurrent")
    x, W, U, b, h0, _ = case
    raises_clear(lambda: rec.rnn_forward(x, np.ones((W.shape[0] + 1, W.shape[1])), U, b),
                 "rnn_forward", "W")
    raises_clear(lambda: rec.rnn_forward(x, W, U, np.ones(b.size + 1)), "rnn_forward", "b")
    raises_clear(lambda: rec.rnn_forward(x[0], W, U, b), "rnn_forward", "x", shapes=(x[0].shape,))
    raises_clear(lambda: rec.rnn_forward(x, W, U, b, h0=np.ones((h0.shape[0] + 1, h0.shape[1]))),
                 "rnn_forward", "h0")


@FEW
@given(case=rnn_case(gates=3, bias_rows=2))
def test_gru_and_lstm_states_are_bounded(case):
    rec = module("recurrent")
    x, _, _, _, h0, rng = case
    d, u = x.shape[2], h0.shape[1]
    with strict_float():
        h = rec.gru_forward(x, rng.normal(size=(d, 3 * u)), rng.normal(size=(u, 3 * u)),
                            rng.normal(size=(2, 3 * u)), h0=h0)
        h_lstm = rec.lstm_forward(x, rng.normal(size=(d, 4 * u)), rng.normal(size=(u, 4 * u)),
                                  rng.normal(size=4 * u), h0=h0)
    h_lstm = h_lstm[0] if isinstance(h_lstm, tuple) else h_lstm
    assert h.shape == (x.shape[0], x.shape[1], u) and h_lstm.shape == h.shape
    # GRU: a convex blend of the old state and a tanh; LSTM: o * tanh(c)
    assert np.all(np.abs(h) <= 1 + 1e-12) and np.all(np.abs(h_lstm) <= 1 + 1e-12)


@given(data=st.data())
def test_gated_update_blends_and_keeps_the_state_shape(data):
    rec = module("recurrent")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4))
    h_prev = data.draw(arrays(st.just(shape), st.floats(-5, 5)))
    h_tilde = data.draw(arrays(st.just(shape), st.floats(-5, 5)))
    a = data.draw(arrays(st.just(shape), st.floats(0, 1)))
    h = rec.gated_update(h_prev, h_tilde, a)
    assert h.shape == shape
    lo, hi = np.minimum(h_prev, h_tilde), np.maximum(h_prev, h_tilde)
    assert np.all((h >= lo - 1e-12) & (h <= hi + 1e-12))
    np.testing.assert_allclose(rec.gated_update(h_prev, h_tilde, np.zeros(shape)), h_prev)
    np.testing.assert_allclose(rec.gated_update(h_prev, h_tilde, np.ones(shape)), h_tilde)


def test_gated_update_refuses_a_gate_that_would_grow_the_state():
    rec = module("recurrent")
    h = np.zeros((1, 4))
    right_or_clear(lambda: rec.gated_update(h, h, np.full((3, 4), 0.5)),
                   lambda out: pytest.fail(f"gated_update: a gate of shape (3, 4) turned a state "
                                           f"of shape (1, 4) into {out.shape}"),
                   "gated_update", "a", shapes=((3, 4),))
    raises_clear(lambda: rec.gated_update(h, h, np.full((1, 4), 1.5)), "gated_update", "a")
    raises_clear(lambda: rec.gated_update(h, np.zeros((4,)), 0.5), "gated_update", "h_prev", "h_tilde",
                 shapes=((1, 4), (4,)))


# ======================================================================= data

TWO_CLASS = ["make_moons", "make_circles", "make_spirals", "make_binary"]


@pytest.mark.parametrize("name", TWO_CLASS)
@given(n=st.integers(2, 60), seed=st.integers(0, 2**31 - 1))
def test_two_class_sets_shapes_labels_and_seed(name, n, seed):
    data = module("data")
    x, y = getattr(data, name)(n=n, seed=seed)
    assert x.shape == (n, 2) and np.all(np.isfinite(x))
    assert y.shape[0] == n and set(np.unique(y)) <= {0, 1}
    x2, y2 = getattr(data, name)(n=n, seed=seed)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)


@pytest.mark.parametrize("name", TWO_CLASS + ["make_linear"])
@pytest.mark.parametrize("bad", BAD_COUNTS, ids=repr)
def test_data_makers_refuse_bad_sizes(name, bad):
    data = module("data")
    raises_clear(lambda: getattr(data, name)(n=bad), name, "n")


@given(n=st.integers(1, 200), slope=st.floats(-10, 10), seed=st.integers(0, 2**31 - 1))
def test_make_linear_is_a_line_plus_uniform_noise(n, slope, seed):
    data = module("data")
    x, y = data.make_linear(n=n, slope=slope, seed=seed)
    assert x.shape == (n, 1) and y.shape == (n, 1)
    noise = y - slope * x
    assert np.all((x >= 0) & (x < 1)) and np.all((noise >= -1e-12) & (noise < 1 + 1e-12))


def test_xor_is_the_truth_table():
    data = module("data")
    x, y = data.xor()
    assert x.shape == (4, 2) and y.shape == (4, 1)
    np.testing.assert_array_equal(y[:, 0], np.logical_xor(x[:, 0] > 0.5, x[:, 1] > 0.5))


@pytest.mark.parametrize("layout,shape", [("flat", (64,)), ("image", (8, 8, 1)), ("sequence", (8, 8))])
def test_load_digits_layouts(layout, shape):
    data = module("data")
    split = data.load_digits(layout=layout, seed=0)
    parts = [(split.x_train, split.y_train), (split.x_val, split.y_val), (split.x_test, split.y_test)]
    assert sum(len(y) for _, y in parts) == 1797
    for x, y in parts:
        assert x.shape == (len(y), *shape) and len(y) > 0
        assert x.min() >= 0 and x.max() <= 1
        assert set(np.unique(y)) == set(range(10))


@pytest.mark.parametrize("kwargs,names", [
    ({"layout": "nchw"}, ("layout",)), ({"val_size": 0.0}, ("val_size",)), ({"test_size": 1.5}, ("test_size",)),
    ({"val_size": 0.6, "test_size": 0.5}, ("val_size", "test_size")), ({"seed": -1}, ("seed",)),
])
def test_load_digits_refuses_bad_arguments(kwargs, names):
    data = module("data")
    raises_clear(lambda: data.load_digits(**kwargs), "load_digits", *names)
