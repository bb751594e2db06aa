"""dlcourse.attention against keras.layers.MultiHeadAttention, tf.GradientTape and
finite differences.

Keras's layer is built in float64 and given our weights, so outputs and gradients agree
to float64 round-off: ATOL = 1e-10 (values O(1), a few hundred multiply-adds). The
finite-difference checks (central differences, eps=1e-6) are accurate to ~1e-8 relative
for these smooth functions: GRAD_TOL = 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from dlcourse import attention as at  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402

ATOL = 1e-10
GRAD_TOL = 1e-6


def _rng(seed=0):
    return np.random.default_rng(seed)


def test_attention_weights_are_a_softmax_of_scaled_scores_and_rows_sum_to_one():
    r = _rng(1)
    q, k, v = r.normal(size=(2, 4, 3)), r.normal(size=(2, 5, 3)), r.normal(size=(2, 5, 2))
    out, w = at.scaled_dot_product_attention(q, k, v)
    s = np.einsum("btd,bsd->bts", q, k) / np.sqrt(3)
    e = np.exp(s - s.max(-1, keepdims=True))
    assert np.allclose(w, e / e.sum(-1, keepdims=True), atol=1e-14)
    assert np.allclose(w.sum(-1), 1, atol=1e-14)
    assert np.allclose(out, w @ v, atol=1e-14)


def test_masked_keys_get_zero_weight_and_causal_rows_see_only_the_past():
    r = _rng(2)
    x = r.normal(size=(3, 6, 4))
    mask = at.padding_mask([6, 4, 1], 6) & at.causal_mask(6)
    _, w = at.scaled_dot_product_attention(x, x, x, mask=mask)
    assert w.shape == (3, 6, 6)
    assert np.all(w[np.broadcast_to(~mask, w.shape)] < 1e-300)
    assert np.allclose(np.triu(w[0], 1), 0)
    assert np.allclose(w[2][:, 0], 1)  # a sequence of one token attends to it alone


@pytest.mark.parametrize("masked", [False, True])
def test_attention_backward_matches_finite_differences(masked):
    r = _rng(3)
    q, k, v = r.normal(size=(4, 3)), r.normal(size=(5, 3)), r.normal(size=(5, 2))
    G = r.normal(size=(4, 2))
    mask = (at.padding_mask([4], 5)[0] & np.ones((4, 5), bool)) if masked else None
    out, w = at.scaled_dot_product_attention(q, k, v, mask=mask)
    g = at.attention_backward(G, q, k, v, w)

    def loss(**kw):
        args = {"q": q, "k": k, "v": v, **kw}
        return float(np.sum(at.scaled_dot_product_attention(**args, mask=mask)[0] * G))

    for name, x0 in (("q", q), ("k", k), ("v", v)):
        res = check_gradient(lambda a: loss(**{name: a}), g[name], x0, tol=GRAD_TOL)
        assert res.passed, (name, res)


def _keras_mha(layer: at.MultiHeadAttention, T):
    mha = keras.layers.MultiHeadAttention(num_heads=layer.num_heads, key_dim=layer.key_dim, dtype="float64")
    mha.build((None, T, layer.d_model), (None, T, layer.d_model))
    assert [w.shape for w in mha.get_weights()] == [w.shape for w in layer.get_weights()]
    mha.set_weights(layer.get_weights())
    return mha


@pytest.mark.parametrize("mask_kind", [None, "causal", "padding"])
def test_multi_head_attention_matches_keras_with_copied_weights(mask_kind):
    B, T, d = 3, 5, 8
    r = _rng(4)
    layer = at.MultiHeadAttention(d, num_heads=2, key_dim=4, rng=0)
    for p in layer.params.values():
        p[...] = r.normal(scale=0.5, size=p.shape)
    mha = _keras_mha(layer, T)
    x = r.normal(size=(B, T, d))
    mask = {None: None,
            "causal": np.broadcast_to(at.causal_mask(T), (B, T, T)),
            "padding": np.broadcast_to(at.padding_mask([5, 3, 2], T), (B, T, T))}[mask_kind]
    G = r.normal(size=(B, T, d))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        yk, scores = mha(xt, xt, attention_mask=None if mask is None else tf.constant(mask),
                         return_attention_scores=True)
        loss = tf.reduce_sum(yk * G)
    grads_k = tape.gradient(loss, [xt, *mha.trainable_weights])
    y = layer.forward(x, mask=mask)
    dx = layer.backward(G)
    assert np.allclose(y, yk.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(layer.attention_weights, scores.numpy(), rtol=0, atol=ATOL)
    assert np.allclose(dx, grads_k[0].numpy(), rtol=0, atol=ATOL)
    names = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")
    keras_by_shape_order = dict(zip(names, grads_k[1:]))
    for n in names:
        assert np.allclose(layer.grads[n], keras_by_shape_order[n].numpy(), rtol=0, atol=ATOL), n


def test_multi_head_attention_backward_matches_finite_differences():
    r = _rng(5)
    layer = at.MultiHeadAttention(4, num_heads=2, key_dim=3, rng=1)
    x = r.normal(size=(2, 3, 4))
    G = r.normal(size=(2, 3, 4))
    mask = at.causal_mask(3)
    layer.forward(x, mask=mask)
    dx = layer.backward(G)
    assert check_gradient(lambda v: np.sum(layer.forward(v, mask=mask) * G), dx, x, tol=GRAD_TOL).passed
    layer.forward(x, mask=mask)
    layer.backward(G)
    wq = layer.params["Wq"]
    analytic = layer.grads["Wq"].copy()

    def loss_wq(w):
        saved = wq.copy()
        wq[...] = w
        out = float(np.sum(layer.forward(x, mask=mask) * G))
        wq[...] = saved
        return out
    assert check_gradient(loss_wq, analytic, wq.copy(), tol=GRAD_TOL).passed


def test_positional_encoding_follows_the_sine_cosine_formula():
    pe = at.positional_encoding(50, 16)
    p, i = 7, 3
    assert pe.shape == (50, 16)
    assert np.isclose(pe[p, 2 * i], np.sin(p / 10000 ** (2 * i / 16)))
    assert np.isclose(pe[p, 2 * i + 1], np.cos(p / 10000 ** (2 * i / 16)))
    assert np.allclose(pe[0, 0::2], 0) and np.allclose(pe[0, 1::2], 1)
    assert at.positional_encoding(4, 5).shape == (4, 5)
    # every position gets its own vector
    assert len({tuple(np.round(row, 8)) for row in pe}) == 50


@pytest.mark.parametrize("call,message", [
    (lambda: at.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 4))), "same last axis"),
    (lambda: at.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((5, 3))), "same T_k"),
    (lambda: at.scaled_dot_product_attention(np.zeros(3), np.zeros((4, 3)), np.zeros((4, 3))), "at least 2-D"),
    (lambda: at.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((4, 3)), mask=np.ones((2, 4))), "must be boolean"),
    (lambda: at.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((4, 3)), mask=np.ones((3, 3), bool)), "must broadcast"),
    (lambda: at.padding_mask([0, 2], 4), r"in \[1, 4\]"),
    (lambda: at.padding_mask([1.5], 4), "integers"),
    (lambda: at.causal_mask(0), "length must be >= 1"),
    (lambda: at.MultiHeadAttention(8, 2, 4).forward(np.zeros((2, 5, 6))), r"\(batch, time, 8\); received shape \(2, 5, 6\)"),
    (lambda: at.MultiHeadAttention(8, 2, 4).set_weights([np.zeros(1)] * 8), "Wq must have shape"),
    (lambda: at.MultiHeadAttention(8, 2, 4).backward(np.zeros((2, 5, 8))), "call forward first"),
])
def test_bad_input_gives_a_clear_error(call, message):
    with pytest.raises((ValueError, TypeError, RuntimeError), match=message):
        call()
