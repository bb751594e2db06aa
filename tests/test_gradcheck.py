"""dlcourse.gradcheck: finite differences against known derivatives and tf.GradientTape.

Tolerances: central differences with eps=1e-6 in float64 have a truncation
error ~eps^2 |f'''| ~ 1e-12 and a rounding error ~1e-16 |f| / eps ~ 1e-10 |f|,
so a correct gradient agrees to about 1e-8 relative to its largest entry; the
tests use 1e-7. A wrong gradient (factor 2, sign, transpose) is off by order 1.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

from dlcourse.gradcheck import GradCheck, check_gradient, numerical_gradient

tf = pytest.importorskip("tensorflow")


def cubic(v):
    return float(np.sum(v**3))


def test_numerical_gradient_of_known_functions():
    x = np.array([[-1.5, 0.2], [0.7, 2.0]])
    np.testing.assert_allclose(numerical_gradient(cubic, x), 3 * x**2, rtol=1e-8)
    # 0-d input and a plain Python float
    np.testing.assert_allclose(numerical_gradient(lambda v: float(np.sin(v)), 0.3), np.cos(0.3), rtol=1e-9)
    g = numerical_gradient(lambda v: float(v[0] * v[1]), [2.0, 5.0])
    np.testing.assert_allclose(g, [5.0, 2.0], rtol=1e-9)
    assert g.dtype == np.float64


def test_numerical_gradient_leaves_x_alone_and_passes_copies():
    x = np.array([1.0, 2.0, 3.0])
    seen = []

    def f(v):
        seen.append(v)
        v[0] = 99.0  # a careless f that writes into its argument
        return float(np.sum(v))

    numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    assert len(seen) == 2 * x.size and all(s is not x for s in seen)


def test_numerical_gradient_matches_gradient_tape():
    rng = np.random.default_rng(0)
    X, W = rng.normal(size=(6, 4)), rng.normal(size=(4, 3))

    def f(w):
        return float(np.sum(np.tanh(X @ w) ** 2))

    wt = tf.Variable(W)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.tanh(tf.constant(X) @ wt) ** 2)
    want = tape.gradient(loss, wt).numpy()
    got = numerical_gradient(f, W)
    assert np.max(np.abs(got - want)) / np.max(np.abs(want)) < 1e-8


def test_check_gradient_passes_a_correct_gradient():
    x = np.array([[-1.5, 0.2], [0.7, 2.0]])
    res = check_gradient(cubic, lambda v: 3 * v**2, x)
    assert isinstance(res, GradCheck)
    assert res.passed and bool(res) and res.max_rel_error < 1e-8
    assert res.max_abs_error <= res.max_rel_error * 12.0 + 1e-15  # scale = max|g| = 12
    np.testing.assert_allclose(res.numerical, 3 * x**2, rtol=1e-8)
    # the gradient may also be given as an array
    assert check_gradient(cubic, 3 * x**2, x).passed


@pytest.mark.parametrize(
    "wrong",
    [
        lambda v: 6 * v**2,  # factor 2
        lambda v: -3 * v**2,  # sign
        lambda v: (3 * v**2).T,  # transposed
        lambda v: 3 * v**2 + np.array([[0, 0], [0, 1e-3]]),  # one entry slightly off
    ],
    ids=["factor", "sign", "transpose", "one-entry"],
)
def test_check_gradient_catches_wrong_gradients(wrong):
    x = np.array([[-1.5, 0.2], [0.7, 2.0]])
    res = check_gradient(cubic, wrong, x)
    assert not res.passed and not bool(res)
    assert res.max_rel_error > 1e-5


def test_worst_index_points_at_the_wrong_entry():
    x = np.array([[-1.5, 0.2], [0.7, 2.0]])
    res = check_gradient(cubic, 3 * x**2 + np.array([[0, 0], [0.5, 0]]), x)
    assert res.worst_index == (1, 0)
    assert res.max_abs_error == pytest.approx(0.5, rel=1e-6)
    assert res.max_rel_error == pytest.approx(0.5 / 12.0, rel=1e-6)


def test_zero_gradients_and_zero_entries():
    # both exactly zero: relative error 0, not 0/0
    res = check_gradient(lambda v: 1.0, np.zeros(3), np.ones(3))
    assert res.passed and res.max_rel_error == 0.0
    # a zero entry next to a large one: rounding noise there does not fail the check
    x = np.array([0.0, 3.0])
    res = check_gradient(lambda v: float(v[0] ** 2 + 1e3 * v[1] ** 2), lambda v: np.array([2 * v[0], 2e3 * v[1]]), x)
    assert res.passed, str(res)


def test_report_is_readable():
    x = np.array([1.0, 2.0])
    ok = str(check_gradient(cubic, 3 * x**2, x))
    assert ok.startswith("Gradient check passed: max relative error ")
    assert "<= tol 1e-06" in ok and "2 entries" in ok and "eps=1e-06" in ok
    bad = str(check_gradient(cubic, 6 * x**2, x, tol=1e-4))
    assert bad.startswith("Gradient check FAILED: max relative error 5.00e-01 > tol 1e-04")
    assert "worst at index (1,): analytic 24, numerical 12" in bad


def test_bad_input():
    with pytest.raises(TypeError, match=r"^numerical_gradient: f must be a function of x; received ndarray"):
        numerical_gradient(np.zeros(2), np.zeros(2))
    with pytest.raises(TypeError, match=r"^numerical_gradient: f must return a single number .*shape \(2,\)"):
        numerical_gradient(lambda v: v * 2, np.zeros(2))
    with pytest.raises(ValueError, match=r"^numerical_gradient: f returned nan"):
        numerical_gradient(lambda v: float("nan"), np.zeros(2))
    with pytest.raises(ValueError, match=r"^numerical_gradient: eps must be finite and > 0; received 0.0"):
        numerical_gradient(cubic, np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match=r"^numerical_gradient: x contains NaN or infinity"):
        numerical_gradient(cubic, [np.nan])
    with pytest.raises(
        ValueError,
        match=r"^check_gradient: the analytic gradient must have the shape of x; "
        r"received gradient.shape=\(3,\) and x.shape=\(2,\)",
    ):
        check_gradient(cubic, np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"^check_gradient: x is empty \(shape \(0,\)\)"):
        check_gradient(lambda v: 0.0, lambda v: v, np.zeros(0))
    with pytest.raises(ValueError, match=r"^check_gradient: tol must be finite and > 0"):
        check_gradient(cubic, np.zeros(2), np.zeros(2), tol=-1)
