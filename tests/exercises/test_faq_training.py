"""Checker of the chapter "FAQ: training deep networks": the reference answer passes;
placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed (never
another exception), and no failure message gives the answer away.

The checker's own reference is tested too: against ``dlcourse.layers`` (a stack of
sigmoid ``Dense`` layers with zero biases) and against finite differences for the
residual chain."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse import layers
from dlcourse.activations import sigmoid
from dlcourse.exercises import faq_training as ex
from dlcourse.gradcheck import numerical_gradient

from .helpers import JUNK, fails


def reference_answer(x, weights, grad_out, residual=False):
    """The chapter's answer, written independently of the checker."""
    hs, zs, h = [], [], np.asarray(x, dtype=float)
    for w in weights:
        z = h @ w
        hs.append(h)
        zs.append(z)
        h = h + sigmoid(z) if residual else sigmoid(z)
    g, norms = np.asarray(grad_out, dtype=float), []
    for w, h_prev, z in zip(reversed(weights), reversed(hs), reversed(zs)):
        s = sigmoid(z)
        delta = g * s * (1 - s)
        norms.append(np.linalg.norm(h_prev.T @ delta))
        g = delta @ w.T + (g if residual else 0)
    return np.array(norms[::-1])


# ----------------------------------------------------------------------- the reference


def test_reference_matches_dlcourse_layers():
    """Plain chain: the same norms as dlcourse.layers' Dense backward (biases at 0).
    Both compute in float64 with the same operations in a different order: 1e-10."""
    rng = np.random.default_rng(0)
    dims = [6, 5, 4, 3]
    weights = [rng.normal(size=(a, b)) for a, b in zip(dims[:-1], dims[1:])]
    x, g = rng.normal(size=(9, 6)), rng.normal(size=(9, 3))
    model = layers.Sequential([layers.Dense(a, b, "sigmoid", rng=0) for a, b in zip(dims[:-1], dims[1:])])
    for layer, w in zip(model.layers, weights):
        layer.params["W"][...] = w
    model.forward(x)
    model.backward(g)
    expected = [np.linalg.norm(layer.grads["W"]) for layer in model.layers]
    np.testing.assert_allclose(ex.reference_chain_grad_norms(x, weights, g), expected, rtol=1e-10)


def test_reference_matches_finite_differences_for_the_residual_chain():
    """With L = sum(grad_out * h_L), dL/dW_l by central differences (eps 1e-6) agrees
    with the norms to 1e-6: the truncation error is O(eps^2) and rounding O(1e-16/eps)."""
    rng = np.random.default_rng(1)
    weights = [rng.normal(scale=0.5, size=(4, 4)) for _ in range(3)]
    x, g = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))

    def loss(ws):
        h = x
        for w in ws:
            h = h + sigmoid(h @ w)
        return float(np.sum(g * h))

    expected = []
    for l in range(3):
        def f(w_l, l=l):
            return loss([w_l if k == l else w for k, w in enumerate(weights)])
        expected.append(np.linalg.norm(numerical_gradient(f, weights[l].copy())))
    got = ex.reference_chain_grad_norms(x, weights, g, residual=True)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_cases_show_the_vanishing_and_its_cure():
    cases = {what: (x, w, g, r) for x, w, g, r, what in ex._cases()}
    plain = ex.reference_chain_grad_norms(*cases["a plain chain of 12 square layers"])
    residual = ex.reference_chain_grad_norms(*cases["a residual chain of 12 square layers"])
    assert plain[0] < 1e-4 * plain[-1]
    assert residual[0] > 0.1 * residual[-1]


# ----------------------------------------------------------------------- the checker


def test_reference_answer_passes(capsys):
    assert ex.check_chain_grad_norms(reference_answer) is None
    assert capsys.readouterr().out.strip() == "\u2713 chain_grad_norms: Correct!"


def test_answer_returning_a_list_passes():
    assert ex.check_chain_grad_norms(lambda *a, **k: list(reference_answer(*a, **k))) is None


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(answer):
    fails(ex.check_chain_grad_norms, answer)


def _variant(mistake):
    return lambda x, weights, grad_out, residual=False: ex.reference_chain_grad_norms(
        np.asarray(x), weights, np.asarray(grad_out), residual, mistake=mistake)


@pytest.mark.parametrize(
    "answer, words",
    [
        (_variant("no_derivative"), "derivative is missing"),
        (_variant("derivative_of_output"), "instead of at its pre-activation"),
        (_variant("no_identity"), "residual (identity) path"),
        (lambda *a, **k: reference_answer(*a, **k)[::-1], "reverse order"),
        (lambda *a, **k: reference_answer(*a, **k)[:-1], "shape (3,)"),
        (lambda *a, **k: reference_answer(*a, **k)[:, None], "1-D array"),
        (lambda *a, **k: 2 * reference_answer(*a, **k), "the norms are wrong"),
    ],
)
def test_common_mistakes_are_named(answer, words):
    assert words in fails(ex.check_chain_grad_norms, answer)


def test_ignoring_residual_fails_on_the_residual_cases():
    message = fails(ex.check_chain_grad_norms,
                    lambda x, w, g, residual=False: reference_answer(x, w, g))
    assert "residual chain" in message


def test_wrong_lower_layers_are_pointed_at():
    def no_chain(x, weights, grad_out, residual=False):   # passes grad_out down unchanged
        norms, h = [], np.asarray(x, float)
        hs = []
        for w in weights:
            hs.append(h)
            h = sigmoid(h @ w)
        for w, h_prev in zip(weights, hs):
            z = h_prev @ w
            s = sigmoid(z)
            g = grad_out if w.shape[1] == grad_out.shape[1] else np.ones((len(x), w.shape[1]))
            norms.append(np.linalg.norm(h_prev.T @ (g * s * (1 - s))))
        return np.array(norms)

    assert "lower layers" in fails(ex.check_chain_grad_norms, no_chain)


def test_function_that_mutates_raises_or_has_no_residual_argument_fails():
    def mutates(x, weights, grad_out, residual=False):
        out = reference_answer(x, weights, grad_out, residual)
        weights[0][...] = 0
        return out

    def raises(x, weights, grad_out, residual=False):
        raise NotImplementedError

    assert "must not modify" in fails(ex.check_chain_grad_norms, mutates)
    assert "NotImplementedError" in fails(ex.check_chain_grad_norms, raises)
    assert "TypeError" in fails(ex.check_chain_grad_norms, lambda x, w, g: reference_answer(x, w, g))


def test_no_message_contains_a_norm():
    message = fails(ex.check_chain_grad_norms, lambda *a, **k: 2 * reference_answer(*a, **k))
    assert not re.search(r"\d\.\d", message)
